import { createHash, randomUUID } from "node:crypto";
import prisma, { database } from "~/db.server";
import { ReferralProgramSchema } from "~/domain/referrals/rules";
import { LoyaltyError } from "../errors";
import { referralUrl } from "~/domain/referrals/link";
import { lockActiveMember } from "../members/repository.server";
import { recordEvent } from "../events/outbox.server";
import { programInForce } from "../program/versions.server";
import { referralCodeFor } from "./program.server";
import { friendOffer } from "./welcome.server";

/** How long an invitation's address is kept when it could not be delivered (ADR 0056). */
export const INVITATION_ADDRESS_DAYS = 7;

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
 * A member invites a friend by email (ADR 0042, 0056): records the invitation with the friend's
 * address and writes referral.sent (the code, the link, the advocate's first name and the
 * friend's reward), which the email platform receives on the friend's profile; once per member,
 * friend and UTC day — the unique invitation row decides, so a double click or a retried request
 * sends one.
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
  const friendEmail = invite.friendEmail.trim();
  const friendEmailKey = emailKey(friendEmail);
  const friendReward = await friendOffer(shopId, program.friendRewardHandle);
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
    const invitationId = randomUUID();
    const { count } = await tx.referralInvite.createMany({
      data: {
        id: invitationId,
        shopId,
        advocateMemberId: advocate.id,
        friendEmailKey,
        friendEmail,
        day,
        createdAt: now,
      },
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
    const event = await recordEvent(
      tx,
      advocate,
      config,
      "referral.sent",
      {
        referral_code: code,
        referral_url: url,
        invitation_id: invitationId,
        advocate_first_name: advocate.firstName,
        friend_reward_name: friendReward?.name ?? null,
        friend_reward_value_formatted: friendReward?.valueFormatted ?? null,
      },
      now,
    );
    await tx.referralInvite.update({ where: { id: invitationId }, data: { eventId: event.id } });
    return true;
  });
  return { sent, code, url };
}

/**
 * Erases the addresses of invitations older than INVITATION_ADDRESS_DAYS that never reached the
 * email platform (not connected, or failing): past that, an invitation is not worth sending and
 * the address is not ours to keep. Daily job; returns how many were erased.
 */
export async function eraseStaleInvitationAddresses(now: Date): Promise<number> {
  const before = new Date(now.getTime() - INVITATION_ADDRESS_DAYS * 86_400_000);
  const { count } = await prisma.referralInvite.updateMany({
    where: { friendEmail: { not: null }, createdAt: { lt: before } },
    data: { friendEmail: null },
  });
  return count;
}

/**
 * Erases the addresses of these events' invitations once no connected email platform still has
 * them to send (ADR 0056): with Klaviyo and Omnisend both connected, the address is kept until
 * both delivered; a platform that is not connected does not keep it.
 */
export async function eraseDeliveredInvitationAddresses(eventIds: string[]) {
  if (eventIds.length === 0) return;
  // Through the driver: called for every bulk request a drain sends, with a thousand ids, where
  // Prisma's parameter handling cost more CPU than the statement (issue #24).
  await database.query(
    `
    UPDATE "ReferralInvite" i SET "friendEmail" = NULL
    WHERE i."eventId" = ANY($1::uuid[]) AND i."friendEmail" IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM "EventDelivery" d
        WHERE d."eventId" = i."eventId" AND d.state = 'pending'
          AND ((d.destination = 'klaviyo' AND EXISTS (SELECT 1 FROM "KlaviyoConnection" k
                 WHERE k."shopId" = d."shopId" AND k.status = 'connected'))
            OR (d.destination = 'omnisend' AND EXISTS (SELECT 1 FROM "OmnisendConnection" o
                 WHERE o."shopId" = d."shopId" AND o.status = 'connected'))))`,
    [eventIds],
  );
}
