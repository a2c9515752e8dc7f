import prisma from "~/db.server";
import { BirthdaySchema } from "~/domain/birthdays/index";
import { lockActiveMember } from "./repository.server";
import { recordEvent } from "../events/outbox.server";
import { programInForce } from "../program/versions.server";
import { LoyaltyError } from "../errors";

/**
 * Stores a member's birthday (storefront form, Flow's "Set birthday", admin) and writes
 * birth_month.captured when it is new or changed; setting the same birthday again is a no-op.
 */
export async function setBirthday(shopId: string, customerId: bigint, input: unknown) {
  const parsed = BirthdaySchema.safeParse(input);
  if (!parsed.success) {
    throw new LoyaltyError("invalid_input", parsed.error.issues.map((i) => i.message).join("; "));
  }
  const birthday = parsed.data;
  return prisma.$transaction(async (tx) => {
    const member = await lockActiveMember(tx, shopId, customerId);
    const unchanged =
      member.birthMonth === birthday.month &&
      member.birthDay === birthday.day &&
      (member.birthYear ?? null) === (birthday.year ?? null);
    if (unchanged) return { changed: false };
    const updated = await tx.member.update({
      where: { id: member.id },
      data: {
        birthMonth: birthday.month,
        birthDay: birthday.day,
        birthYear: birthday.year ?? null,
      },
    });
    const { config } = await programInForce(tx, shopId);
    await recordEvent(tx, updated, config, "birth_month.captured", {
      birth_month: birthday.month,
      birth_day: birthday.day,
      previous_birth_month: member.birthMonth,
    });
    return { changed: true };
  });
}
