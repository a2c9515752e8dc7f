import prisma from "~/db.server";
import { describeValue } from "~/domain/rewards/quote";
import { RewardDefinitionSchema, type RewardDefinition } from "~/domain/rewards/index";
import { shopperRefusal } from "~/domain/referrals/shopper";
import { ReferralRefused } from "../errors";
import { referralProgramOf } from "./program.server";

/** What a friend is offered for claiming: the reward's name and value, for the widget to format. */
export interface FriendOffer {
  name: string;
  type: RewardDefinition["type"];
  /** Money value in the shop's minor units (fixed amount, store credit, gift card). */
  valueMinor: number | null;
  percentage: number | null;
  minimumSubtotalMinor: number | null;
  /** The same in English words ("$10.00 off"), for API readers. */
  valueFormatted: string;
}

export interface ReferralWelcome {
  code: string;
  /** The advocate's first name only: a friend who opens a link learns no more about them. */
  advocateFirstName: string | null;
  friendReward: FriendOffer | null;
  currency: string;
  /** For a signed-in shopper: the link is their own (nothing to claim). */
  own: boolean;
  /** For a signed-in shopper: they already claimed this code (their reward is in "My rewards"). */
  claimed: boolean;
}

/**
 * The welcome a friend sees on opening a referral link: who invited them and what they get. An
 * unknown code, or a shop with referrals off, is refused with the words the claim would use.
 */
export async function referralWelcome(
  shopId: string,
  rawCode: string,
  customerId: bigint | null,
): Promise<ReferralWelcome> {
  const code = rawCode.trim().toUpperCase();
  const [program, owner, shop] = await Promise.all([
    referralProgramOf(prisma, shopId),
    prisma.referralCode.findUnique({ where: { shopId_code: { shopId, code } } }),
    prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } }),
  ]);
  if (!program.enabled) throw refused("program_off", code);
  if (!owner) throw unknownCode(code);
  const advocate = await keptMember(owner.memberId);
  const friendReward = await friendOffer(shopId, program.friendRewardHandle, shop.currency);
  const own = customerId !== null && advocate?.customerId === customerId;
  const claimed =
    customerId !== null &&
    (await prisma.referral.count({ where: { shopId, friendCustomerId: customerId, code } })) > 0;
  return {
    code,
    advocateFirstName: advocate?.firstName ?? null,
    friendReward,
    currency: shop.currency,
    own,
    claimed,
  };
}

function refused(reason: "program_off" | "unknown_code", code: string) {
  return new ReferralRefused(reason, shopperRefusal(reason), `code ${code.slice(0, 60)}`);
}

export const unknownCode = (code: string) => refused("unknown_code", code);

/** The member a code's owner lives on now (a merged-away advocate's link refers for the kept one). */
async function keptMember(memberId: string) {
  let member = await prisma.member.findUnique({ where: { id: memberId } });
  for (let hops = 0; member?.mergedIntoId && hops < 10; hops++) {
    member = await prisma.member.findUnique({ where: { id: member.mergedIntoId } });
  }
  return member;
}

/** The friend's reward as offered now (null: none, or the merchant turned it off). */
export async function friendOffer(
  shopId: string,
  handle: string | null,
  currency?: string,
): Promise<FriendOffer | null> {
  if (!handle) return null;
  const reward = await prisma.reward.findUnique({
    where: { shopId_handle: { shopId, handle } },
    include: { shop: { select: { currency: true } } },
  });
  if (!reward?.enabled) return null;
  return offerOf(RewardDefinitionSchema.parse(reward.definition), currency ?? reward.shop.currency);
}

function offerOf(definition: RewardDefinition, currency: string): FriendOffer {
  const valueMinor = "amountMinor" in definition ? definition.amountMinor : null;
  return {
    name: definition.name,
    type: definition.type,
    valueMinor,
    percentage: definition.type === "percentage" ? definition.percentage : null,
    minimumSubtotalMinor:
      "minimumSubtotalMinor" in definition ? definition.minimumSubtotalMinor : null,
    valueFormatted: describeValue(definition, valueMinor, currency),
  };
}
