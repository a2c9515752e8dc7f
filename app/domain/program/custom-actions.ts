import { z } from "zod";
import { ACTION_PERIODS, actionKey } from "../earning-actions/period";

/** At most this many custom actions in a program (issue #23). */
export const MAX_CUSTOM_ACTIONS = 20;

/**
 * A custom action (issue #23, ADR 0072): points for something the shopper does that Shopify Flow
 * reports ("Leave a product review"), granted by the Flow action "Add points for a custom action",
 * which names it. Settings prices it, so the merchant prices every way to earn in one place and
 * shoppers see what it is worth. The name is its identity: the Flow action and the limit's count
 * in the ledger find it by `actionKey(name)`. 0 points switches it off (as a social follow).
 */
export const CustomActionSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "validation.customAction.name")
    .max(100, "validation.customAction.nameLength"),
  points: z
    .int("validation.customAction.points")
    .min(0, "validation.customAction.points")
    .max(1_000_000, "validation.customAction.points"),
  // At most this many credits per member in each period; null = no limit (the period is unused).
  limit: z
    .int("validation.customAction.limit")
    .min(1, "validation.customAction.limit")
    .max(1000, "validation.customAction.limit")
    .nullable()
    .default(null),
  period: z.enum(ACTION_PERIODS).default("ever"),
});
export type CustomAction = z.infer<typeof CustomActionSchema>;

export const CustomActionListSchema = z
  .array(CustomActionSchema)
  .max(MAX_CUSTOM_ACTIONS, "validation.customAction.tooMany")
  .superRefine((actions, ctx) => {
    // Names that differ only in case or spacing are one action for Flow and for the limit.
    const seen = new Set<string>();
    actions.forEach((action, index) => {
      const key = actionKey(action.name);
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "name"],
          message: "validation.customAction.duplicateName",
          params: { name: action.name },
        });
      }
      seen.add(key);
    });
  });

/** The custom action a Flow run names, matched as the limit counts it (case and spaces ignored). */
export function findCustomAction(
  actions: readonly CustomAction[],
  name: string,
): CustomAction | undefined {
  const key = actionKey(name);
  return actions.find((action) => actionKey(action.name) === key);
}
