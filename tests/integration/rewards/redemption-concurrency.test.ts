import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { LoyaltyError } from "~/services/errors";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";
import { expectBalanceMatchesLedger, memberOf } from "../../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";

// Issue #4 "Done when": 200 simultaneous redemptions at a balance that covers exactly 10.
// On PostgreSQL (npm run test:postgres) these really run in parallel on 10 pooled connections.
describe("simultaneous redemptions", () => {
  it("200 at once against a balance for 10: exactly 10 codes, balance 0, no code for a failed one", async () => {
    const member = await memberWithPoints(10 * FIVE_OFF.pointsCost);
    await catalog(member.shopId, FIVE_OFF);
    const api = adminCallFor(member.api, 10_000);
    const started = Date.now();

    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        redeemReward(api, {
          shopId: member.shopId,
          customerId: member.customerId,
          reward: { handle: FIVE_OFF.handle },
          requestKey: `burst:${i}`,
          source: "points_redemption",
        }),
      ),
    );
    const elapsedMs = Date.now() - started;

    const issued = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    // Tally outcomes by kind, so a failure shows what the other requests got.
    const outcomes: Record<string, number> = {};
    for (const r of results) {
      const kind =
        r.status === "fulfilled"
          ? "issued"
          : r.reason instanceof LoyaltyError
            ? r.reason.code
            : `unexpected: ${String(r.reason).slice(0, 120)}`;
      outcomes[kind] = (outcomes[kind] ?? 0) + 1;
    }
    expect(outcomes).toEqual({ issued: 10, insufficient_points: 190 });
    const after = await memberOf(Number(member.customerId));
    expect(after?.pointsBalance).toBe(0);
    expect(after?.lifetimeSpent).toBe(10 * FIVE_OFF.pointsCost);
    await expectBalanceMatchesLedger(Number(member.customerId));
    // Every code in the stand-in belongs to an issued redemption, and there is no other.
    const codes = [...member.store.adminApi.discountCodes.values()].map((d) => d.code).sort();
    expect(codes).toEqual(issued.map((r) => r.code).sort());
    const rows = await prisma.redemption.groupBy({
      by: ["state"],
      where: { memberId: after!.id },
      _count: true,
    });
    expect(rows).toEqual([{ state: "issued", _count: 10 }]);
    console.info(`200 simultaneous redemptions settled in ${elapsedMs} ms`);
  });
});
