import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runRecompute } from "~/services/recompute/queued-run.server";
import { action as homeAction } from "~/routes/app._index";
import { loader as flowLoader } from "~/routes/app.flow";
import * as earningRoute from "~/routes/app.settings.earning";
import * as expiryRoute from "~/routes/app.settings.expiry";
import * as referralsRoute from "~/routes/app.settings.referrals";
import * as rewardsRoute from "~/routes/app.settings.rewards";
import * as storeCreditRoute from "~/routes/app.settings.store-credit";
import * as tiersRoute from "~/routes/app.settings.tiers";
import { onboardingState } from "~/services/home/onboarding.server";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import { deliver, newStore } from "../../support/deliveries";
import { TEST_SHOP } from "../../support/webhooks";

// Program settings through their real routes with signed admin requests: saves, server-side
// validation (field errors, nothing saved), the recompute count and its recorded progress.

const store = newStore();
let shopId: string;

beforeAll(async () => {
  await installTestShop();
  for (const [name, total] of [
    ["ada", "30.00"],
    ["grace", "250.00"],
    ["alan", "900.00"],
  ] as const) {
    const customer = store.addCustomer({ email: `${name}@example.com`, first_name: name });
    await deliver("customers/create", customer);
    await deliver(
      "orders/paid",
      store.addPaidOrder(customer, [{ title: "Coat", price: total, quantity: 1 }]),
    );
  }
  shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).id;
});

const versions = () => prisma.programVersion.count({ where: { shopId } });

async function post<R>(
  route: { action: (args: ActionFunctionArgs) => Promise<R> },
  path: string,
  form: Record<string, string>,
): Promise<R> {
  return callRouteAction(route.action, await adminRequest(path, form));
}
async function load<T>(route: { loader: (args: never) => Promise<T> }, path: string) {
  return dataOf(await callLoader(route.loader as never, await adminRequest(path))) as T;
}

describe("store credit cashback settings", () => {
  it("refuses a rate above 100 % with a field error, then saves a valid one", async () => {
    const before = await versions();
    const path = "/app/settings/store-credit";
    const page = await load(storeCreditRoute, path);
    expect(page.config.storeCredit).toMatchObject({ enabled: false });
    const tooMuch = { storeCredit: { ...page.config.storeCredit, cashbackBasisPoints: 10_001 } };
    const refused = await post(storeCreditRoute, path, { draft: JSON.stringify(tooMuch) });
    expect(refused.ok).toBe(false);
    expect(Object.keys(refused.ok ? {} : refused.errors)).toContain(
      "storeCredit.cashbackBasisPoints",
    );
    expect(await versions()).toBe(before);

    const valid = {
      storeCredit: {
        enabled: true,
        cashbackBasisPoints: 500,
        minOrderMinor: 2000,
        expiryDays: 90,
        reminderDaysBefore: 7,
      },
    };
    const saved = await post(storeCreditRoute, path, { draft: JSON.stringify(valid) });
    expect(saved).toMatchObject({ ok: true, changed: ["storeCredit"], recomputeQueued: false });
    expect((await load(storeCreditRoute, path)).config.storeCredit).toEqual(valid.storeCredit);
  });
});

describe("earning settings", () => {
  it("saves a valid draft as a new program version and shows it", async () => {
    const page = await load(earningRoute, "/app/settings/earning");
    const draft = {
      earning: { ...page.config.earning, pointsPerUnit: 2, includeShipping: true },
      refunds: page.config.refunds,
    };
    const result = await post(earningRoute, "/app/settings/earning", {
      draft: JSON.stringify(draft),
    });
    expect(result).toMatchObject({ ok: true, changed: ["earning"], recomputeQueued: false });
    const after = await load(earningRoute, "/app/settings/earning");
    expect(after.config.earning).toMatchObject({ pointsPerUnit: 2, includeShipping: true });
    expect(after.recompute).toBeNull();
  });

  it("answers invalid values with field errors and saves nothing", async () => {
    const before = await versions();
    const page = await load(earningRoute, "/app/settings/earning");
    const draft = {
      earning: { ...page.config.earning, pointsPerUnit: 2.555, rounding: "sideways" },
      refunds: page.config.refunds,
    };
    const result = await post(earningRoute, "/app/settings/earning", {
      draft: JSON.stringify(draft),
    });
    expect(result.ok).toBe(false);
    expect(Object.keys(result.ok ? {} : result.errors).sort()).toEqual([
      "earning.pointsPerUnit",
      "earning.rounding",
    ]);
    expect(await versions()).toBe(before);
  });

  it("refuses excluded products and collections that are not picked ids, saving nothing", async () => {
    const before = await versions();
    const page = await load(earningRoute, "/app/settings/earning");
    const draft = {
      earning: {
        ...page.config.earning,
        excludedProductIds: ["<script>alert(1)</script>", "foo bar"],
        excludedCollectionIds: ["4001", "gift wrap"],
      },
      refunds: page.config.refunds,
    };
    const result = await post(earningRoute, "/app/settings/earning", {
      draft: JSON.stringify(draft),
    });
    const errors = result.ok ? {} : result.errors;
    expect(Object.keys(errors).sort()).toEqual([
      "earning.excludedCollectionIds.1",
      "earning.excludedProductIds.0",
      "earning.excludedProductIds.1",
    ]);
    expect(errors["earning.excludedProductIds.0"]).toContain(
      "Choose products and collections with the picker",
    );
    expect(await versions()).toBe(before);

    const picked = await post(earningRoute, "/app/settings/earning", {
      draft: JSON.stringify({
        ...draft,
        earning: {
          ...draft.earning,
          excludedProductIds: ["9001"],
          excludedCollectionIds: ["4001"],
        },
      }),
    });
    expect(picked.ok).toBe(true);
  });

  it("refuses an unreadable form or a key of another section, saving nothing", async () => {
    const before = await versions();
    const broken = await post(earningRoute, "/app/settings/earning", { draft: "{not json" });
    expect(broken).toEqual({
      ok: false,
      errors: { "": expect.stringContaining("could not be read") },
    });
    const smuggled = await post(earningRoute, "/app/settings/earning", {
      draft: JSON.stringify({ earning: {}, refunds: {}, tiers: [] }),
    });
    expect(smuggled.ok).toBe(false);
    expect(await versions()).toBe(before);
  });
});

describe("tiers and the member recompute", () => {
  const tiers = [
    {
      id: "silver",
      name: "Silver",
      threshold: { kind: "lifetime_points", points: 200 },
      earnMultiplier: 1.5,
      entryBonusPoints: 0,
    },
    {
      id: "gold",
      name: "Gold",
      threshold: { kind: "lifetime_points", points: 1000 },
      earnMultiplier: 2,
      entryBonusPoints: 0,
    },
  ];

  it("reports field errors from the tier list's own rules", async () => {
    const before = await versions();
    const draft = { tiers: [tiers[1], tiers[0]], tierRules: { periodDays: 365 } };
    const result = await post(tiersRoute, "/app/settings/tiers", { draft: JSON.stringify(draft) });
    expect(result.ok ? {} : result.errors).toHaveProperty(
      ["tiers.1.threshold"],
      expect.stringContaining("Must be higher than the threshold of"),
    );
    expect(await versions()).toBe(before);
  });

  it("counts the members a tier change recomputes, then records the recompute's progress", async () => {
    const page = await load(tiersRoute, "/app/settings/tiers");
    expect(page.activeMembers).toBe(3);
    const result = await post(tiersRoute, "/app/settings/tiers", {
      draft: JSON.stringify({ tiers, tierRules: { periodDays: 365 } }),
    });
    expect(result).toMatchObject({ ok: true, changed: ["tiers"], recomputeQueued: true });
    if (!result.ok) throw new Error("not saved");

    const queued = await load(tiersRoute, "/app/settings/tiers");
    expect(queued.recompute).toMatchObject({
      state: "queued",
      totalMembers: 3,
      processedMembers: 0,
      toVersion: result.version,
    });

    // The job the save queued, as the worker runs it.
    await runRecompute({ shopId, fromVersion: result.version - 1, toVersion: result.version });
    const done = await load(tiersRoute, "/app/settings/tiers");
    // Earning is 2 points per unit since the earning save, but these orders were earned at 1:
    // 250 → silver, 900 → silver (below 1000), 30 → none.
    expect(done.recompute).toMatchObject({
      state: "done",
      totalMembers: 3,
      processedMembers: 3,
      tierChanges: 2,
    });
    const placed = await prisma.member.findMany({
      where: { shopId },
      orderBy: { lifetimeEarned: "asc" },
    });
    expect(placed.map((m) => m.tierId)).toEqual([null, "silver", "silver"]);
  });

  it("an expiry change also recomputes; switching it off again is one more version", async () => {
    const result = await post(expiryRoute, "/app/settings/expiry", {
      draft: JSON.stringify({ expiry: { kind: "per_lot", days: 30, reminderDaysBefore: 40 } }),
    });
    expect(result.ok ? {} : result.errors).toEqual({
      "expiry.reminderDaysBefore": "The reminder must come before the expiry",
    });
    const saved = await post(expiryRoute, "/app/settings/expiry", {
      draft: JSON.stringify({ expiry: { kind: "inactivity", days: 365, reminderDaysBefore: 30 } }),
    });
    expect(saved).toMatchObject({ ok: true, changed: ["expiry"], recomputeQueued: true });
  });
});

describe("rewards and referrals", () => {
  const reward = {
    type: "fixed_amount",
    handle: "five-off",
    name: "$5 off",
    pointsCost: 500,
    amountMinor: 500,
  };

  it("creates a reward, refuses a second one with the same handle, and turns it off", async () => {
    const created = await post(rewardsRoute, "/app/settings/rewards", {
      intent: "create",
      draft: JSON.stringify(reward),
    });
    expect(created).toMatchObject({ ok: true });
    const again = await post(rewardsRoute, "/app/settings/rewards", {
      intent: "create",
      draft: JSON.stringify({ ...reward, name: "Another" }),
    });
    expect(again).toEqual({
      ok: false,
      errors: { handle: "Another reward already uses this handle" },
    });
    const off = await post(rewardsRoute, "/app/settings/rewards", {
      intent: "toggle",
      handle: "five-off",
      enabled: "false",
    });
    expect(off).toMatchObject({ ok: true });
    const page = await load(rewardsRoute, "/app/settings/rewards");
    expect(page.rewards).toEqual([
      expect.objectContaining({ handle: "five-off", name: "$5 off", enabled: false }),
    ]);
  });

  it("answers an invalid reward with its field errors", async () => {
    const result = await post(rewardsRoute, "/app/settings/rewards", {
      intent: "create",
      draft: JSON.stringify({
        type: "percentage",
        handle: "Bad Handle",
        name: "",
        pointsCost: 10,
        percentage: 150,
      }),
    });
    expect(Object.keys(result.ok ? {} : result.errors).sort()).toEqual([
      "handle",
      "name",
      "percentage",
    ]);
    expect(await prisma.reward.count({ where: { shopId } })).toBe(1);
  });

  it("saves referrals only with one of the shop's rewards for the friend", async () => {
    const bad = await post(referralsRoute, "/app/settings/referrals", {
      draft: JSON.stringify({
        enabled: true,
        friendRewardHandle: "nope",
        advocatePoints: 100,
        minimumOrderMinor: 0,
        advocateCap: null,
      }),
    });
    expect(bad).toEqual({
      ok: false,
      errors: { friendRewardHandle: "Choose one of your rewards (or none)" },
    });
    const good = await post(referralsRoute, "/app/settings/referrals", {
      draft: JSON.stringify({
        enabled: true,
        friendRewardHandle: "five-off",
        advocatePoints: 100,
        minimumOrderMinor: 2500,
        advocateCap: { count: 5, periodDays: 30 },
      }),
    });
    expect(good).toMatchObject({ ok: true });
    const page = await load(referralsRoute, "/app/settings/referrals");
    expect(page.program).toMatchObject({
      enabled: true,
      friendRewardHandle: "five-off",
      minimumOrderMinor: 2500,
    });
  });

  it("shows refused referral claims, newest first, with their rule and reason", async () => {
    const at = (minute: number) => new Date(`2026-11-20T10:${minute}:00Z`);
    await prisma.referralRejection.createMany({
      data: [
        {
          shopId,
          code: "REF-AAAA2222",
          friendCustomerId: 7n,
          reason: "same_email",
          detail: "The friend has the advocate's email",
          createdAt: at(10),
        },
        {
          shopId,
          code: "REF-AAAA2222",
          friendCustomerId: 8n,
          reason: "same_address",
          detail: "The friend has the advocate's address",
          createdAt: at(20),
        },
      ],
    });

    const page = await load(referralsRoute, "/app/settings/referrals");

    expect(page.rejections.map((r) => [r.friendCustomerId, r.reason, r.at])).toEqual([
      ["8", "same_address", "2026-11-20T10:20:00.000Z"],
      ["7", "same_email", "2026-11-20T10:10:00.000Z"],
    ]);
  });
});

describe("onboarding", () => {
  it("computes each item from the shop's state, records the Flow page view, and can be dismissed", async () => {
    const before = await onboardingState(shopId);
    expect(before.facts).toMatchObject({
      programSaved: true,
      tierCount: 2,
      enabledRewards: 0,
      flowViewed: false,
      klaviyoConnected: false,
    });
    dataOf(await callLoader(flowLoader, await adminRequest("/app/flow")));
    expect((await onboardingState(shopId)).facts.flowViewed).toBe(true);
    const dismissed = await callRouteAction(
      homeAction,
      await adminRequest("/app", { intent: "dismiss-onboarding" }),
    );
    expect(dismissed).toEqual({ ok: true });
    expect((await onboardingState(shopId)).dismissed).toBe(true);
  });
});
