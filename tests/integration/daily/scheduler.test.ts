import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import {
  DAILY_TICK_CRON,
  queueDailyRuns,
  registerDailyJobs,
} from "~/jobs/workers/daily/daily.worker";
import { QUEUES, type DailyShopJob } from "~/jobs/queues/definitions";
import { getBoss } from "~/jobs/queues/boss.server";
import { ensureShop } from "~/services/shops/ensure.server";

async function shopIn(domain: string, timeZone: string, uninstalledAt: Date | null = null) {
  const { id } = await ensureShop(prisma, domain);
  await prisma.shop.update({ where: { id }, data: { timeZone, uninstalledAt } });
  return id;
}

async function dailyJobs() {
  const boss = await getBoss();
  const jobs = await boss.findJobs<DailyShopJob>(QUEUES.dailyShop.name);
  return jobs.map((job) => ({ key: job.singletonKey, data: job.data, state: job.state }));
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for the worker");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("daily scheduler", () => {
  it("queues one run per shop and local day, however often the hourly tick comes", async () => {
    // GIVEN shops in New York and Tokyo, and one that uninstalled the app
    const boss = await getBoss();
    const newYork = await shopIn("ny-store.myshopify.com", "America/New_York");
    const tokyo = await shopIn("tokyo-store.myshopify.com", "Asia/Tokyo");
    await shopIn("gone-store.myshopify.com", "UTC", new Date("2027-01-01T00:00:00Z"));

    // WHEN the tick runs at 03:00 UTC on Mar 1 (Feb 28 in New York, Mar 1 in Tokyo), twice at once
    const [first, second] = await Promise.all([
      queueDailyRuns(boss, new Date("2027-03-01T03:00:00Z")),
      queueDailyRuns(boss, new Date("2027-03-01T03:00:00Z")),
    ]);
    // and again an hour later, same local days everywhere
    const later = await queueDailyRuns(boss, new Date("2027-03-01T04:00:00Z"));

    // THEN each shop has one run for its own local date; the uninstalled shop has none
    expect(first + second).toBe(2);
    expect(later).toBe(0);
    const queued = await dailyJobs();
    expect(queued.map((job) => job.key).sort()).toEqual(
      [`${newYork}:2027-02-28`, `${tokyo}:2027-03-01`].sort(),
    );
    expect(queued.find((job) => job.data.shopId === newYork)?.data.localDate).toBe("2027-02-28");

    // WHEN New York reaches midnight (05:00 UTC) THEN its Mar 1 run is queued, Tokyo's is not again
    expect(await queueDailyRuns(boss, new Date("2027-03-01T05:00:00Z"))).toBe(1);
    expect((await dailyJobs()).map((job) => job.key)).toContain(`${newYork}:2027-03-01`);
  });

  it("registers the hourly schedule and runs queued days through the worker", async () => {
    const boss = await getBoss();
    await registerDailyJobs(boss);
    expect(await boss.getSchedule(QUEUES.dailyTick.name)).toMatchObject({
      cron: DAILY_TICK_CRON,
    });

    // WHEN a shop's day is queued THEN the worker runs it to completion
    await shopIn("worker-store.myshopify.com", "Europe/Berlin");
    await queueDailyRuns(boss);
    await waitFor(async () => {
      const jobs = await dailyJobs();
      return jobs.every((job) => job.state === "completed") ? jobs : undefined;
    });
  });
});
