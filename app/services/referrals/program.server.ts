import { randomBytes } from "node:crypto";
import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { referralCodeFrom, ReferralProgramSchema } from "~/domain/referrals/rules";
import { queueStorefrontPublish } from "~/jobs/queues/send.server";
import { LoyaltyError } from "../errors";

export async function saveReferralProgram(shopId: string, input: unknown) {
  const config = ReferralProgramSchema.parse(input);
  await prisma.$transaction(async (tx) => {
    await tx.referralProgram.upsert({
      where: { shopId },
      create: { shopId, config },
      update: { config },
    });
    // The storefront's ways to earn include the referral bonus (app/domain/storefront).
    await queueStorefrontPublish(tx, shopId);
  });
  return config;
}

export async function referralProgramOf(tx: Prisma.TransactionClient, shopId: string) {
  const row = await tx.referralProgram.findUnique({ where: { shopId } });
  return ReferralProgramSchema.parse(row?.config ?? {});
}

/**
 * Gives a new member their referral code in the caller's transaction (issue #21: as Stamped does,
 * the code and link exist from the member's creation, so the first profile sent to Klaviyo or
 * Omnisend carries them). A clash with another member's code (32^8 codes) leaves this member
 * without one; `referralCodeFor` then makes one on first request.
 */
export async function assignReferralCode(
  tx: Prisma.TransactionClient,
  shopId: string,
  memberId: string,
) {
  const code = referralCodeFrom(randomBytes(8));
  await tx.$executeRaw`
    INSERT INTO "ReferralCode" ("shopId", "memberId", code, "createdAt")
    VALUES (${shopId}::uuid, ${memberId}::uuid, ${code}, ${new Date().toISOString()}::timestamp(3))
    ON CONFLICT DO NOTHING`;
}

/** assignReferralCode for many new members at once (the history import's chunks, ADR 0074). */
export async function assignReferralCodes(
  tx: Prisma.TransactionClient,
  shopId: string,
  memberIds: readonly string[],
) {
  if (memberIds.length === 0) return;
  const codes = memberIds.map(() => referralCodeFrom(randomBytes(8)));
  await tx.$executeRaw`
    INSERT INTO "ReferralCode" ("shopId", "memberId", code, "createdAt")
    SELECT ${shopId}::uuid, c."memberId", c.code, ${new Date().toISOString()}::timestamp(3)
    FROM unnest(${memberIds}::uuid[], ${codes}::text[]) AS c("memberId", code)
    ON CONFLICT DO NOTHING`;
}

/**
 * The member's referral code; one is made on first request for a member who has none (members
 * from before codes came with membership). A new code asks for the member's email-platform
 * profile to be sent again, so the code and link reach it at once.
 */
export async function referralCodeFor(shopId: string, customerId: bigint): Promise<string> {
  const member = await prisma.member.findFirst({ where: { shopId, customerId, status: "active" } });
  if (!member) throw new LoyaltyError("member_not_found", "Join the program to refer friends");
  const existing = await prisma.referralCode.findUnique({
    where: { shopId_memberId: { shopId, memberId: member.id } },
  });
  if (existing) return existing.code;
  for (let attempt = 0; attempt < 5; attempt++) {
    const { count } = await prisma.referralCode.createMany({
      data: { shopId, memberId: member.id, code: referralCodeFrom(randomBytes(8)) },
      skipDuplicates: true,
    });
    const row = await prisma.referralCode.findUnique({
      where: { shopId_memberId: { shopId, memberId: member.id } },
    });
    if (row) {
      if (count > 0) {
        await prisma.member.update({
          where: { id: member.id },
          data: { profileSyncRequestedAt: new Date() },
        });
      }
      return row.code;
    }
  }
  throw new Error("could not allocate a referral code");
}
