import prisma from "~/db.server";
import { postEntry } from "./post-entry.server";
import { lockActiveMember } from "../members/repository.server";
import { recordEvent } from "../events/outbox.server";
import { programInForce } from "../program/versions.server";
import { LoyaltyError } from "../errors";

export interface PointsAdjustment {
  shopId: string;
  customerId: bigint;
  /** Signed, non-zero. */
  points: number;
  note: string | null;
  /** Who asked: the admin (manual) or a Flow action run. */
  source: "manual" | "shopify_flow_action";
  /** e.g. `flow:<action_run_id>` or `admin:<request id>`: a retried request applies once. */
  idempotencyKey: string;
  /** Only debits: let the balance go below zero (Flow's "allow negative" option). */
  allowNegative?: boolean;
}

/**
 * A manual or Flow-driven credit/debit: one ledger entry and its points.added/subtracted event.
 * Unknown members and insufficient balances are LoyaltyErrors with codes, never partial effects.
 */
export async function adjustPoints(adjustment: PointsAdjustment) {
  if (!Number.isSafeInteger(adjustment.points) || adjustment.points === 0) {
    throw new LoyaltyError("invalid_input", "Points must be a whole number other than 0");
  }
  return prisma.$transaction(async (tx) => {
    const member = await lockActiveMember(tx, adjustment.shopId, adjustment.customerId);
    const { config } = await programInForce(tx, adjustment.shopId);
    const result = await postEntry(tx, member, {
      kind: "manual",
      source: adjustment.source,
      points: adjustment.points,
      idempotencyKey: adjustment.idempotencyKey,
      allowNegative: adjustment.allowNegative,
      detail: { note: adjustment.note },
    });
    if (result.status === "insufficient") {
      // Flow and POS show the message; the admin says it in the staff member's language.
      throw new LoyaltyError(
        "insufficient_points",
        `The member has ${result.available} points; ${-adjustment.points} cannot be subtracted`,
        undefined,
        { available: result.available, points: -adjustment.points },
      );
    }
    if (result.status === "duplicate") return { applied: false, balance: member.pointsBalance };
    const common = {
      source: adjustment.source,
      order_id: null,
      order_name: null,
      note: adjustment.note,
    };
    if (adjustment.points > 0) {
      await recordEvent(tx, result.member, config, "points.added", {
        points: adjustment.points,
        ...common,
      });
    } else {
      await recordEvent(tx, result.member, config, "points.subtracted", {
        points: -adjustment.points,
        ...common,
      });
    }
    return { applied: true, balance: result.member.pointsBalance };
  });
}
