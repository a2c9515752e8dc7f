import { beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { setBirthday } from "~/services/members/birthday.server";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { saveProgram } from "~/services/program/versions.server";
import { deliver, eventsOf, expectBalanceMatchesLedger, newStore } from "../../support/deliveries";

/** Runs `act` with the process clock at `instant`, so entries and events are dated then. */
async function at<T>(instant: string, act: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(instant));
  try {
    return await act();
  } finally {
    vi.useRealTimers();
  }
}

const store = newStore();
let shopId: string;

beforeAll(async () => {
  // The first webhook creates the shop; it runs on New York time and pays 200 birthday points.
  await deliver("customers/create", store.addCustomer({ email: "setup@example.com" }));
  shopId = (await prisma.shop.findFirstOrThrow()).id;
  await prisma.shop.update({ where: { id: shopId }, data: { timeZone: "America/New_York" } });
  await saveProgram(prisma, shopId, { bonuses: { birthdayPoints: 200 } }, "test");
});

/** A member whose birthday was saved (birth_month.captured) at `capturedAt`. */
async function memberWithBirthday(birthday: { month: number; day: number }, capturedAt: string) {
  const customer = store.addCustomer({
    email: `bday-${birthday.month}-${birthday.day}@example.com`,
  });
  await at(capturedAt, async () => {
    await deliver("customers/create", customer);
    await setBirthday(shopId, BigInt(customer.id), birthday);
  });
  return customer.id;
}

const run = (now: string) => runDailyMaintenance(shopId, new Date(now));
const entered = async (customerId: number) =>
  (await eventsOf(customerId, "birth_month.entered")).map((e) => e.payload);

describe("birth month entered (shop in America/New_York)", () => {
  it("is due on the 1st in the shop's zone, pays the birthday bonus, once per year", async () => {
    const ann = await memberWithBirthday({ month: 3, day: 14 }, "2027-01-05T15:00:00Z");

    // WHEN the job runs at 03:00 UTC on Mar 1, still Feb 28 in New York THEN nothing yet
    await run("2027-03-01T03:00:00Z");
    expect(await entered(ann)).toEqual([]);

    // WHEN it runs after New York's midnight, and again later that day and month
    await run("2027-03-01T05:30:00Z");
    await run("2027-03-01T20:00:00Z");
    await run("2027-03-15T12:00:00Z");

    // THEN one event with the benefits issued, and one 200 point bonus with its points.added
    expect(await entered(ann)).toEqual([
      {
        birth_month: 3,
        birth_day: 14,
        year: 2027,
        points_awarded: 200,
        reward_name: null,
        reward_code: null,
        reward_expires_at: null,
      },
    ]);
    const [bonus] = await eventsOf(ann, "points.added");
    expect(bonus?.payload).toEqual({
      points: 200,
      source: "birthday_bonus",
      order_id: null,
      order_name: null,
      note: null,
    });
    const [event] = await eventsOf(ann, "birth_month.entered");
    expect(event?.snapshot).toMatchObject({ points_balance: 200 });
    expect(event?.occurredAt.toISOString()).toBe("2027-03-01T05:30:00.000Z");
    await expectBalanceMatchesLedger(ann);

    // AND next year it comes again, once
    await run("2028-03-01T05:30:00Z");
    await run("2028-03-02T05:30:00Z");
    expect((await entered(ann)).map((p) => (p as { year: number }).year)).toEqual([2027, 2028]);
    const bonuses = await prisma.ledgerEntry.findMany({
      where: { member: { customerId: BigInt(ann) }, source: "birthday_bonus" },
      orderBy: { createdAt: "asc" },
    });
    expect(bonuses.map((e) => e.points)).toEqual([200, 200]);
    await expectBalanceMatchesLedger(ann);
  });

  it("waits until the next local day when the birthday is saved during the birth month", async () => {
    // GIVEN saved at 22:00 on Apr 10 in New York (02:00 UTC on Apr 11)
    const bo = await memberWithBirthday({ month: 4, day: 2 }, "2027-04-11T02:00:00Z");

    // WHEN the job runs later that same local day THEN not yet: saving is not an instant reward
    await run("2027-04-11T03:30:00Z");
    expect(await entered(bo)).toEqual([]);

    // WHEN it runs on Apr 11 in New York THEN due, for this year
    await run("2027-04-11T04:30:00Z");
    expect(await entered(bo)).toMatchObject([{ birth_month: 4, birth_day: 2, year: 2027 }]);
  });

  it("treats a Feb 29 birthday like any February birthday, in leap and other years", async () => {
    const leap = await memberWithBirthday({ month: 2, day: 29 }, "2026-12-01T15:00:00Z");

    await run("2027-01-31T23:00:00Z"); // 18:00 on Jan 31 in New York
    expect(await entered(leap)).toEqual([]);
    await run("2027-02-01T05:00:00Z");
    await run("2028-02-01T05:00:00Z");
    await run("2028-02-29T17:00:00Z");

    expect(await entered(leap)).toMatchObject([
      { birth_month: 2, birth_day: 29, year: 2027, points_awarded: 200 },
      { birth_month: 2, birth_day: 29, year: 2028, points_awarded: 200 },
    ]);
    await expectBalanceMatchesLedger(leap);
  });
});
