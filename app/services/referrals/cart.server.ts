import type { Prisma } from "@prisma/client";
import { z } from "zod";
import type { ProgramConfig } from "~/domain/program/index";
import { REFERRAL_CODE } from "~/domain/referrals/shopper";
import { lockMember } from "../members/repository.server";
import { recordEvent } from "../events/outbox.server";
import { grantRewardLater } from "../rewards/grants/record.server";
import { checkClaim, fullName } from "./claim.server";
import type { AcceptedReferral } from "./completion.server";

/** The cart attribute the storefront widget sets when a friend follows a referral link. */
export const REFERRAL_CART_ATTRIBUTE = "_loyalty_referral";

const PaidOrderWithAttributes = z
  .object({
    id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String),
    customer: z
      .object({ id: z.union([z.number(), z.string()]).transform(String) })
      .loose()
      .nullish(),
    note_attributes: z.array(z.object({ name: z.string(), value: z.unknown() }).loose()).nullish(),
  })
  .loose();

/**
 * orders/paid step for a friend who followed a referral link and ordered without claiming it in
 * the widget: the code rode on the cart (`_loyalty_referral`) into the order's note_attributes.
 * The same rules as a claim apply (this order does not count as an earlier one); accepted, the
 * friend's reward is granted for their next order and referral.accepted waits for it. Returns the
 * referral for completeReferral to complete with this very order, or null.
 */
export async function acceptReferralFromCart(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
  config: ProgramConfig,
  now = new Date(),
): Promise<AcceptedReferral | null> {
  // Almost every order has no attributes: answered without parsing the order.
  const attributes = (payload as { note_attributes?: unknown } | null)?.note_attributes;
  if (!Array.isArray(attributes) || attributes.length === 0) return null;
  const parsed = PaidOrderWithAttributes.safeParse(payload);
  if (!parsed.success || !parsed.data.customer) return null;
  const attribute = parsed.data.note_attributes?.find((a) => a.name === REFERRAL_CART_ATTRIBUTE);
  const code = typeof attribute?.value === "string" ? attribute.value.trim().toUpperCase() : "";
  if (!REFERRAL_CODE.test(code)) return null;
  const friendCustomerId = BigInt(parsed.data.customer.id);
  // A friend referred once (claimed, completed or refused) is not asked again by later orders.
  const earlier = await tx.referral.count({ where: { shopId, friendCustomerId } });
  if (earlier > 0) return null;
  const check = await checkClaim(tx, shopId, friendCustomerId, code, now, BigInt(parsed.data.id));
  if (check.kind === "rejected") {
    await tx.referralRejection.create({
      data: {
        shopId,
        code,
        friendCustomerId,
        advocateMemberId: check.advocateMemberId,
        reason: check.reason,
        detail: `${check.detail} (order ${parsed.data.id}, code from the cart)`,
      },
    });
    return null;
  }
  const referral = await tx.referral.findUniqueOrThrow({ where: { id: check.referralId } });
  const friend = await lockMember(tx, shopId, friendCustomerId);
  const advocate = await tx.member.findUniqueOrThrow({ where: { id: referral.advocateMemberId } });
  const accepted = {
    advocate_customer_id: advocate.customerId.toString(),
    advocate_name: fullName(advocate),
    referral_code: code,
  };
  const waits = await grantRewardLater(
    tx,
    friend,
    "referral",
    check.program.friendRewardHandle,
    `grant:referral:${referral.id}:friend`,
    { type: "referral.accepted", payload: accepted, occurredAt: now.toISOString() },
  );
  if (!waits) {
    await recordEvent(
      tx,
      friend,
      config,
      "referral.accepted",
      {
        ...accepted,
        reward_name: null,
        reward_code: null,
        reward_value_formatted: null,
        reward_expires_at: null,
      },
      now,
    );
  }
  return {
    id: referral.id,
    advocateMemberId: referral.advocateMemberId,
    friendMemberId: referral.friendMemberId,
    code,
  };
}
