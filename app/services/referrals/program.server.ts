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

/** The member's referral code, created on first request (unique per shop; retried on a clash). */
export async function referralCodeFor(shopId: string, customerId: bigint): Promise<string> {
  const member = await prisma.member.findFirst({ where: { shopId, customerId, status: "active" } });
  if (!member) throw new LoyaltyError("member_not_found", "Join the program to refer friends");
  for (let attempt = 0; attempt < 5; attempt++) {
    await prisma.referralCode.createMany({
      data: { shopId, memberId: member.id, code: referralCodeFrom(randomBytes(8)) },
      skipDuplicates: true,
    });
    const row = await prisma.referralCode.findUnique({
      where: { shopId_memberId: { shopId, memberId: member.id } },
    });
    if (row) return row.code;
  }
  throw new Error("could not allocate a referral code");
}
