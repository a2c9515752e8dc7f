import prisma from "~/db.server";
import { SOCIAL_NETWORK_NAMES, type SocialNetwork } from "~/domain/earning-actions";
import { LoyaltyError } from "../errors";
import { recordEvent } from "../events/outbox.server";
import { postEntry } from "../ledger/post-entry.server";
import { lockActiveMember } from "../members/repository.server";
import { programInForce } from "../program/versions.server";
import { reconcileTierAfterBonus } from "../tiers/evaluate.server";

// A follow clicked in the widget's Ways to earn (issue #23): honour-based (nobody can see whether
// the shopper followed), so the points go once per network per member, by a ledger key of the
// member and the network. The network must be switched on (points and a link) in Settings.

export interface SocialFollow {
  shopId: string;
  customerId: bigint;
  network: SocialNetwork;
  /** The click's id: a resent request (double click, network retry) gets the first answer. */
  requestId: string;
  now?: Date;
}

export async function creditSocialFollow(follow: SocialFollow) {
  const now = follow.now ?? new Date();
  const name = SOCIAL_NETWORK_NAMES[follow.network];
  return prisma.$transaction(async (tx) => {
    const member = await lockActiveMember(tx, follow.shopId, follow.customerId);
    const { config } = await programInForce(tx, follow.shopId);
    const { url, points } = config.bonuses.social[follow.network];
    if (points <= 0 || !url) {
      throw new LoyaltyError("invalid_input", `This shop gives no points for following on ${name}`);
    }
    const posted = await postEntry(tx, member, {
      kind: "bonus",
      source: "social_follow",
      points,
      idempotencyKey: `social:${member.id}:${follow.network}`,
      detail: { network: follow.network, note: name, requestId: follow.requestId },
      now,
    });
    if (posted.status !== "posted") {
      const first = await tx.ledgerEntry.findUnique({
        where: {
          shopId_idempotencyKey: {
            shopId: follow.shopId,
            idempotencyKey: `social:${member.id}:${follow.network}`,
          },
        },
        select: { points: true, detail: true },
      });
      const firstRequest = (first?.detail as { requestId?: unknown } | null)?.requestId;
      if (first && firstRequest === follow.requestId) {
        return { network: follow.network, points: first.points, balance: member.pointsBalance };
      }
      throw new LoyaltyError(
        "limit_reached",
        `You already earned points for following us on ${name}`,
      );
    }
    const after = await reconcileTierAfterBonus(tx, posted.member, config, now);
    await recordEvent(tx, after, config, "points.added", {
      points,
      source: "social_follow",
      order_id: null,
      order_name: null,
      note: name,
    });
    return { network: follow.network, points, balance: after.pointsBalance };
  });
}
