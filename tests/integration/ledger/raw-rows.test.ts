import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { postEntry } from "~/services/ledger/post-entry.server";
import { ensureMember } from "~/services/members/ensure.server";
import { lockMember } from "~/services/members/repository.server";
import { ensureShop } from "~/services/shops/ensure.server";

// The hot path reads and writes members with raw SQL (ADR 0034): what it returns must be exactly
// the Member Prisma would return, or every caller downstream (snapshots, tiers, events) drifts.
describe("raw member rows are Prisma's Member", () => {
  it("lockMember and postEntry return the row as Prisma reads it, every field and type", async () => {
    const shop = await prisma.$transaction((tx) => ensureShop(tx, "raw-rows.myshopify.com"));
    const customerId = 9_007_199_254_740_993n; // past 2^53: must stay a bigint
    const { member: created, created: isNew } = await prisma.$transaction((tx) =>
      ensureMember(
        tx,
        shop.id,
        { customerId, email: "raw@example.com", firstName: "Raw" },
        { source: "order" },
      ),
    );
    expect(isNew).toBe(true);
    // Every nullable column set, so a wrong type or a missing column shows
    await prisma.member.update({
      where: { id: created.id },
      data: {
        phone: "+15550001",
        lastName: "Rows",
        accountRegisteredAt: new Date("2026-01-02T03:04:05.678Z"),
        tierId: "gold",
        tierEnteredAt: new Date("2026-02-01T00:00:00.000Z"),
        tierPeriodEndsAt: new Date("2027-02-01T00:00:00.000Z"),
        tierLockedUntil: new Date("2026-12-31T23:59:59.999Z"),
        tierCheckpoint: {
          at: "2026-02-01T00:00:00.000Z",
          tierId: "gold",
          enteredTierIds: ["gold"],
        },
        birthMonth: 7,
        birthDay: 14,
        birthYear: 1990,
        profileSyncRequestedAt: new Date("2026-03-03T03:03:03.003Z"),
        mergedIntoId: created.id,
      },
    });

    const locked = await prisma.$transaction((tx) => lockMember(tx, shop.id, customerId));
    expect(locked).toStrictEqual(
      await prisma.member.findUniqueOrThrow({ where: { id: created.id } }),
    );

    const now = new Date("2026-11-20T10:00:00.000Z");
    const posted = await prisma.$transaction(async (tx) => {
      const member = await lockMember(tx, shop.id, customerId);
      return postEntry(tx, member, {
        kind: "earn",
        source: "purchase",
        points: 42,
        idempotencyKey: "raw-rows:earn",
        orderId: 123n,
        detail: { snapshot: { points: 42 } },
        now,
      });
    });
    if (posted.status !== "posted") throw new Error(`not posted: ${posted.status}`);
    const read = await prisma.member.findUniqueOrThrow({ where: { id: created.id } });
    expect(posted.member).toStrictEqual(read);
    expect([read.pointsBalance, read.lifetimeEarned, read.lifetimeSpent]).toEqual([42, 42, 0]);
    expect(read.lastActivityAt).toEqual(now);
    const entry = await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: posted.entryId } });
    expect(entry).toMatchObject({
      points: 42,
      balanceAfter: 42,
      orderId: 123n,
      kind: "earn",
      detail: { snapshot: { points: 42 } },
    });

    // A redemption moves lifetime spent, not earned, and is no earn activity for expiry
    const spent = await prisma.$transaction(async (tx) =>
      postEntry(tx, await lockMember(tx, shop.id, customerId), {
        kind: "manual",
        source: "admin",
        points: -2,
        idempotencyKey: "raw-rows:manual",
      }),
    );
    if (spent.status !== "posted") throw new Error(`not posted: ${spent.status}`);
    expect([
      spent.member.pointsBalance,
      spent.member.lifetimeEarned,
      spent.member.lifetimeSpent,
    ]).toEqual([40, 42, 0]);
    expect(spent.member.lastActivityAt).toEqual(now);
    const again = await prisma.$transaction(async (tx) =>
      postEntry(tx, await lockMember(tx, shop.id, customerId), {
        kind: "manual",
        source: "admin",
        points: -2,
        idempotencyKey: "raw-rows:manual",
      }),
    );
    expect(again.status).toBe("duplicate");
    // The entry and the balance move in one statement: a duplicate moves neither
    const after = await prisma.member.findUniqueOrThrow({ where: { id: created.id } });
    expect([after.pointsBalance, after.lifetimeEarned, after.lifetimeSpent]).toEqual([40, 42, 0]);
    expect(await prisma.ledgerEntry.count({ where: { memberId: created.id } })).toBe(2);
    const entry2 = await prisma.ledgerEntry.findFirstOrThrow({
      where: { idempotencyKey: "raw-rows:manual" },
    });
    expect(entry2.detail).toBeNull();
  });
});
