import { createHash } from "node:crypto";
import prisma from "~/db.server";
import { ReferralProgramSchema } from "~/domain/referrals/rules";
import { LoyaltyError } from "../errors";
import { referralUrl } from "~/domain/referrals/link";
import { lockActiveMember } from "../members/repository.server";
import { recordEvent } from "../events/outbox.server";
import { programInForce } from "../program/versions.server";
import { referralCodeFor } from "./program.server";

/** Invitations one member may send per UTC day: enough for friends, too few for a mailing list. */
export const INVITES_PER_DAY = 20;

export interface InviteResult {
  /** False when this friend was already invited today (nothing new was sent). */
  sent: boolean;
  code: string;
  url: string;
}

const emailKey = (email: string) =>
  createHash("sha256").update(email.trim().toLowerCase()).digest("hex");

/**
 * A member invites a friend by email (ADR 0042): records the invitation and writes
 * referral.sent (the member's code and link) for Klaviyo, once per member, friend and UTC day —
 * the unique invitation row decides, so a double click or a retried request sends one.
 */
export async function inviteFriend(
  invite: { shopId: string; customerId: bigint; shopDomain: string; friendEmail: string },
  now = new Date(),
): Promise<InviteResult> {
  const { shopId, customerId } = invite;
  const program = ReferralProgramSchema.parse(
    (await prisma.referralProgram.findUnique({ where: { shopId } }))?.config ?? {},
  );
  if (!program.enabled) {
    throw new LoyaltyError("referral_rejected", "Referrals are not open in this shop");
  }
  const code = await referralCodeFor(shopId, customerId);
  const url = referralUrl(invite.shopDomain, code);
  const friendEmailKey = emailKey(invite.friendEmail);
  const day = now.toISOString().slice(0, 10);
  const sent = await prisma.$transaction(async (tx) => {
    // The lock orders a member's invitations, so the daily count below cannot be raced past.
    const advocate = await lockActiveMember(tx, shopId, customerId);
    if (advocate.email && emailKey(advocate.email) === friendEmailKey) {
      throw new LoyaltyError("invalid_input", "Invite a friend, not yourself");
    }
    const today = await tx.referralInvite.count({
      where: { shopId, advocateMemberId: advocate.id, day },
    });
    const { count } = await tx.referralInvite.createMany({
      data: { shopId, advocateMemberId: advocate.id, friendEmailKey, day, createdAt: now },
      skipDuplicates: true,
    });
    if (count === 0) return false;
    if (today >= INVITES_PER_DAY) {
      throw new LoyaltyError(
        "invalid_input",
        `You can invite up to ${INVITES_PER_DAY} friends a day; try again tomorrow`,
      );
    }
    const { config } = await programInForce(tx, shopId);
    await recordEvent(
      tx,
      advocate,
      config,
      "referral.sent",
      { referral_code: code, referral_url: url },
      now,
    );
    return true;
  });
  return { sent, code, url };
}
