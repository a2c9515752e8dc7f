import type { FlowFieldSpec } from "./definition";

// Flow fields several triggers share, so the key and its wording are identical everywhere
// (a merchant who learns "Points balance" on one trigger finds it under the same key on the next).

/** The member's balance after the event (seed 000's triggers update external CRMs with it). */
export function pointsBalanceField<P>(): FlowFieldSpec<P> {
  return {
    key: "Points balance",
    type: "number_decimal",
    description: "The member's points balance after this event.",
    value: (_payload, snapshot) => snapshot.points_balance,
  };
}
