import fc from "fast-check";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { formatIsoDate, localDate } from "~/domain/calendar/index";
import { ProgramConfigSchema, type ProgramConfig } from "~/domain/program/index";
import { evaluateTier, tierEntryBonusKey, type TierEvaluation } from "~/domain/tiers/index";
import { recomputeMembers } from "~/services/recompute/run.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { spendRecordsNow } from "~/services/tiers/facts.server";

// The recompute places members in SQL; evaluateTier is the rule. For random programs (old and new
// tier lists), members (tier, lock, lifetime points, bonuses already paid) and order histories
// (paid, refunded, cancelled, around the 365-day window's edges), the recompute must leave every
// member where evaluateTier puts them, write the same tier.updated change and pay the same entry
// bonuses. Tier periods end after `now`: period-end reviews are the daily job's (ADR 0019).

const DAY = 86_400_000;
const NOW = new Date("2027-03-15T17:30:00.000Z");
const TIME_ZONE = "America/New_York";
let run = 0;
let nextCustomer = 1n;
let nextOrder = 1n;

const tiersArb = (kind: "spend_365d" | "lifetime_points", prefix: string) =>
  fc
    .array(
      fc.record({
        step: fc.integer({ min: 1, max: 800 }),
        bonus: fc.constantFrom(0, 0, 25, 100),
        maintain: fc.boolean(),
      }),
      { minLength: 0, maxLength: 3 },
    )
    .map((steps) => {
      let bar = 0;
      return steps.map(({ step, bonus, maintain }, index) => {
        bar += kind === "spend_365d" ? step * 100 : step;
        return {
          // Ids shared across the old and new lists (t0, t1…) keep tiers; others come and go.
          id: `${index % 2 === 0 ? "t" : prefix}${index}`,
          name: `${prefix.toUpperCase()} tier ${index}`,
          threshold:
            kind === "spend_365d"
              ? { kind, minor: bar }
              : { kind: "lifetime_points" as const, points: bar },
          ...(maintain
            ? kind === "spend_365d"
              ? { maintainMinor: Math.floor(bar / 2) }
              : { maintainPoints: Math.floor(bar / 2) }
            : {}),
          earnMultiplier: 1,
          entryBonusPoints: bonus,
        };
      });
    });

const programsArb = fc
  .constantFrom("spend_365d" as const, "lifetime_points" as const)
  .chain((kind) =>
    fc.record({
      previous: tiersArb(kind, "old"),
      next: tiersArb(kind, "new"),
      periodDays: fc.constantFrom(30, 365, 400),
    }),
  );

/** How long before NOW a fact happened, with the window's edges (365 and 366 days) made likely. */
const ageArb = fc.oneof(
  fc.integer({ min: 0, max: 420 * DAY }),
  fc.constantFrom(365 * DAY, 365 * DAY - 1, 365 * DAY + 1, 366 * DAY, 366 * DAY - 1, 0),
);

const orderArb = fc.record({
  age: ageArb,
  spendMinor: fc.integer({ min: 0, max: 60_000 }),
  refunds: fc.array(
    fc.record({
      after: fc.integer({ min: 0, max: 60 * DAY }),
      minor: fc.integer({ min: 1, max: 30_000 }),
    }),
    { maxLength: 2 },
  ),
  cancelledAfter: fc.option(fc.integer({ min: 0, max: 90 * DAY })),
});

const memberArb = fc.record({
  tier: fc.constantFrom("none", "t0", "t1", "t2", "old1", "new1", "gone"),
  periodLeft: fc.integer({ min: 1, max: 300 * DAY }),
  lock: fc.constantFrom("none", "lapsed", "in force"),
  lifetimeEarned: fc.integer({ min: 0, max: 3_000 }),
  bonusesPaid: fc.subarray(["t0", "t1", "t2", "new1", "new3"]),
  orders: fc.array(orderArb, { maxLength: 4 }),
});

function program(tiers: object[], periodDays: number): ProgramConfig {
  return ProgramConfigSchema.parse({ tiers, tierRules: { periodDays } });
}

type MemberSpec = typeof memberArb extends fc.Arbitrary<infer T> ? T : never;

async function seedMember(shopId: string, spec: MemberSpec, periodDays: number) {
  const customerId = nextCustomer++;
  const holds = spec.tier !== "none";
  const periodEndsAt = new Date(NOW.getTime() + spec.periodLeft);
  const member = await prisma.member.create({
    data: {
      shopId,
      customerId,
      email: `m${customerId}@example.com`,
      pointsBalance: 500,
      lifetimeEarned: spec.lifetimeEarned,
      tierId: holds ? spec.tier : null,
      tierEnteredAt: holds ? new Date(periodEndsAt.getTime() - periodDays * DAY) : null,
      tierPeriodEndsAt: holds ? periodEndsAt : null,
      tierLockedUntil:
        spec.lock === "none"
          ? null
          : new Date(NOW.getTime() + (spec.lock === "lapsed" ? -3 : 20) * DAY),
    },
  });
  for (const tierId of spec.bonusesPaid) {
    await prisma.ledgerEntry.create({
      data: {
        shopId,
        memberId: member.id,
        points: 1,
        kind: "bonus",
        source: "tier_bonus",
        idempotencyKey: tierEntryBonusKey(member.id, tierId),
        balanceAfter: 500,
        detail: { tierId },
      },
    });
  }
  for (const order of spec.orders) {
    const orderId = nextOrder++;
    const paidAt = new Date(NOW.getTime() - order.age);
    await prisma.orderRecord.create({
      data: {
        shopId,
        orderId,
        customerId,
        currency: "USD",
        paidAt,
        cancelledAt:
          order.cancelledAfter === null ? null : new Date(paidAt.getTime() + order.cancelledAfter),
        spendMinor: order.spendMinor,
        order: {
          earning: {
            currency: "USD",
            lines: [
              {
                lineItemId: "1",
                unitPriceMinor: order.spendMinor,
                quantity: 1,
                discountMinor: 0,
                giftCard: false,
              },
            ],
            shippingMinor: 0,
            taxMinor: 0,
            orderLevelDiscountMinor: 0,
          },
        },
        refunds: {
          create: order.refunds.map((refund, index) => ({
            refundId: orderId * 10n + BigInt(index),
            lines: [],
            amount: JSON.stringify([(refund.minor / 100).toFixed(2)]),
            amountMinor: refund.minor,
            // A refund without lines gives back its amount of goods (ADR 0054).
            goodsMinor: Math.min(refund.minor, order.spendMinor),
            createdAt: new Date(paidAt.getTime() + refund.after),
          })),
        },
      },
    });
  }
  return prisma.member.findUniqueOrThrow({ where: { id: member.id } });
}

/** What evaluateTier decides for the member, from the same reads the order path makes. */
async function expectedFor(
  member: Awaited<ReturnType<typeof seedMember>>,
  next: ProgramConfig,
): Promise<TierEvaluation> {
  const granted = await prisma.ledgerEntry.findMany({
    where: { shopId: member.shopId, memberId: member.id, source: "tier_bonus" },
    select: { detail: true },
  });
  return evaluateTier({
    state: {
      tierId: member.tierId,
      enteredAt: member.tierEnteredAt,
      expiresAt: member.tierPeriodEndsAt,
      lockedUntil: member.tierLockedUntil,
    },
    rules: next.tiers,
    metrics: {
      spend: await spendRecordsNow(prisma, member, NOW),
      lifetimePoints: member.lifetimeEarned,
    },
    bonusGrantedTierIds: granted.map((entry) => (entry.detail as { tierId: string }).tierId),
    now: NOW,
    periodDays: next.tierRules.periodDays,
  });
}

const lockDay = (lockedUntil: Date | null) =>
  lockedUntil && formatIsoDate(localDate(new Date(lockedUntil.getTime() - 1), TIME_ZONE));

describe("the set-based recompute agrees with evaluateTier", () => {
  it("places, records and pays as the domain does, over random programs, members and orders", async () => {
    await fc.assert(
      fc.asyncProperty(
        programsArb,
        fc.array(memberArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 4 }),
        async ({ previous, next, periodDays }, specs, batchSize) => {
          run += 1;
          const shop = await ensureShop(prisma, `recompute-agreement-${run}.myshopify.com`);
          await prisma.shop.update({ where: { id: shop.id }, data: { timeZone: TIME_ZONE } });
          const before = program(previous, periodDays);
          const after = program(next, periodDays);
          const members = [];
          for (const spec of specs) members.push(await seedMember(shop.id, spec, periodDays));
          const expected = new Map<string, TierEvaluation>();
          for (const member of members) expected.set(member.id, await expectedFor(member, after));

          const report = await recomputeMembers(shop.id, before, after, ["tiers"], NOW, batchSize);

          const tierNames = new Map([...before.tiers, ...after.tiers].map((t) => [t.id, t.name]));
          let changes = 0;
          let bonuses = 0;
          for (const member of members) {
            const evaluation = expected.get(member.id)!;
            const now = await prisma.member.findUniqueOrThrow({ where: { id: member.id } });
            const lockInForce = (at: Date | null) => (at && at > NOW ? at : null);
            expect({
              tierId: now.tierId,
              enteredAt: now.tierEnteredAt,
              expiresAt: now.tierPeriodEndsAt,
              lockedUntil: lockInForce(now.tierLockedUntil),
            }).toEqual({
              tierId: evaluation.state.tierId,
              enteredAt: evaluation.state.enteredAt,
              expiresAt: evaluation.state.expiresAt,
              lockedUntil: lockInForce(evaluation.state.lockedUntil),
            });

            const events = await prisma.loyaltyEvent.findMany({
              where: { shopId: shop.id, memberId: member.id, type: "tier.updated" },
            });
            expect(events.map((e) => e.payload)).toEqual(
              evaluation.changes.map((change) => ({
                change: change.change,
                reason: "program_change",
                previous_tier:
                  (change.previousTierId && tierNames.get(change.previousTierId)) ?? null,
                current_tier: (change.tierId && tierNames.get(change.tierId)) ?? null,
                entry_date: formatIsoDate(localDate(change.enteredAt ?? change.at, TIME_ZONE)),
                locked_until: lockDay(change.lockedUntil),
                expires_at: change.expiresAt?.toISOString() ?? null,
              })),
            );
            changes += evaluation.changes.length;

            const paid = await prisma.ledgerEntry.findMany({
              where: {
                shopId: shop.id,
                memberId: member.id,
                source: "tier_bonus",
                points: { gt: 1 },
              },
              orderBy: { createdAt: "asc" },
            });
            expect(
              paid.map((entry) => ({
                tierId: (entry.detail as { tierId: string }).tierId,
                points: entry.points,
                key: entry.idempotencyKey,
              })),
            ).toEqual(
              evaluation.entryBonuses.map((bonus) => ({
                ...bonus,
                key: tierEntryBonusKey(member.id, bonus.tierId),
              })),
            );
            const bonusPoints = evaluation.entryBonuses.reduce((sum, b) => sum + b.points, 0);
            expect(now.pointsBalance).toBe(member.pointsBalance + bonusPoints);
            expect(now.lifetimeEarned).toBe(member.lifetimeEarned + bonusPoints);
            const added = await prisma.loyaltyEvent.count({
              where: { shopId: shop.id, memberId: member.id, type: "points.added" },
            });
            expect(added).toBe(evaluation.entryBonuses.length);
            bonuses += evaluation.entryBonuses.length;
          }
          expect(report).toMatchObject({ members: members.length, tierChanges: changes });
          expect(report.entryBonuses).toBe(bonuses);

          // Running it again agrees with the domain's next evaluation: nothing, unless an entry
          // bonus just took a member's lifetime points past a higher tier's threshold — those
          // points count from the next evaluation, in the order path as here (ADR 0039).
          let nextChanges = 0;
          let nextBonuses = 0;
          for (const member of members) {
            const placed = await prisma.member.findUniqueOrThrow({ where: { id: member.id } });
            const evaluation = await expectedFor(placed, after);
            nextChanges += evaluation.changes.length;
            nextBonuses += evaluation.entryBonuses.length;
            if (placed.lifetimeEarned === member.lifetimeEarned) {
              expect(evaluation.changes).toEqual([]);
            }
          }
          const again = await recomputeMembers(shop.id, after, after, ["tiers"], NOW, batchSize);
          expect(again).toMatchObject({ tierChanges: nextChanges, entryBonuses: nextBonuses });
        },
      ),
      { numRuns: 60 },
    );
  }, 240_000);
});
