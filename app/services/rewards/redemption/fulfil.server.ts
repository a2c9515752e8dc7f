import prisma from "~/db.server";
import { catalogRewardType } from "~/domain/rewards/index";
import { LoyaltyError } from "../../errors";
import { recordEvent } from "../../events/outbox.server";
import { lockMember } from "../../members/repository.server";
import { programInForce } from "../../program/versions.server";
import { snapshotOf } from "./hold.server";

/**
 * The merchant handed over a custom reward (gift wrap, a call) and says so on the member page:
 * issued → used with reward.used, which has no order (order_id null). The update is guarded by
 * `state = 'issued'`, so a double click, or two staff at once, changes the row and writes the
 * event once; the later click answers `changed: false`.
 */
export async function fulfilRedemption(
  shopId: string,
  redemptionId: string,
  now = new Date(),
): Promise<{ changed: boolean }> {
  const redemption = /^[0-9a-f-]{36}$/i.test(redemptionId)
    ? await prisma.redemption.findFirst({ where: { id: redemptionId, shopId } })
    : null;
  if (!redemption) {
    throw new LoyaltyError("reward_not_found", `There is no issued reward ${redemptionId}`);
  }
  const { definition } = snapshotOf(redemption);
  // Any other reward is used at checkout, where Shopify tells the app (orders/paid).
  if (definition.type !== "custom") {
    throw new LoyaltyError("invalid_input", "Only a custom reward is marked fulfilled by hand");
  }
  if (redemption.state === "used") return { changed: false };
  if (redemption.state !== "issued") {
    throw new LoyaltyError(
      "invalid_input",
      `Only an unused reward can be marked fulfilled; this one is ${redemption.state}`,
    );
  }
  return prisma.$transaction(async (tx) => {
    const { customerId } = await tx.member.findUniqueOrThrow({
      where: { id: redemption.memberId },
      select: { customerId: true },
    });
    // The member's row lock orders this event after any points change still committing.
    const member = await lockMember(tx, shopId, customerId);
    const { count } = await tx.redemption.updateMany({
      where: { id: redemption.id, shopId, state: "issued" },
      data: { state: "used", endedAt: now },
    });
    if (count === 0) {
      const current = await tx.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
      if (current.state === "used") return { changed: false };
      throw new LoyaltyError(
        "invalid_input",
        `Only an unused reward can be marked fulfilled; this one is ${current.state}`,
      );
    }
    const { config } = await programInForce(tx, shopId);
    await recordEvent(
      tx,
      member,
      config,
      "reward.used",
      {
        reward_id: redemption.id,
        reward_name: definition.name,
        reward_type: catalogRewardType(definition.type),
        code: redemption.code!,
        order_id: null,
        order_name: null,
      },
      now,
    );
    return { changed: true };
  });
}
