import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action, loader } from "~/routes/app.members.$id";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";

const TIERS = [
  {
    id: "silver",
    name: "Silver",
    threshold: { kind: "lifetime_points", points: 500 },
    earnMultiplier: 1,
    entryBonusPoints: 0,
  },
  {
    id: "gold",
    name: "Gold",
    threshold: { kind: "lifetime_points", points: 2000 },
    earnMultiplier: 2,
    entryBonusPoints: 0,
  },
];

const store = newStore();
let customer: ReturnType<typeof store.addCustomer>;
let memberId: string;

beforeAll(async () => {
  await installTestShop();
  customer = store.addCustomer({
    email: "ada@example.com",
    first_name: "Ada",
    last_name: "Lovelace",
  });
  await deliver("customers/create", customer);
  const shop = await prisma.shop.findFirstOrThrow();
  await prisma.programVersion.create({
    data: { shopId: shop.id, version: 1, config: { tiers: TIERS } },
  });
  await deliver(
    "orders/paid",
    store.addPaidOrder(customer, [{ title: "Jacket", price: "120.00", quantity: 1 }]),
  );
  memberId = (await memberOf(customer.id))!.id;
});

async function view(query = "") {
  const request = await adminRequest(`/app/members/${memberId}${query}`);
  return dataOf(await callLoader(loader, request, { id: memberId }));
}

async function submit(form: Record<string, string>, query = "") {
  const request = await adminRequest(`/app/members/${memberId}${query}`, form);
  return callRouteAction(action, request, { id: memberId });
}

describe("member page (admin)", () => {
  it("shows balances, tier progress and the order's ledger line with its admin link", async () => {
    const page = await view();
    expect(page.member).toMatchObject({
      name: "Ada Lovelace",
      email: "ada@example.com",
      pointsBalance: 120,
      availablePoints: 120,
      pendingPoints: 0,
    });
    expect(page.tier.next).toMatchObject({ name: "Silver", unit: "points", remaining: 380 });
    expect(page.tier.next?.percent).toBe(24);
    const [earn] = page.ledger.entries;
    expect(earn).toMatchObject({ points: 120, kind: "earn", balanceAfter: 120 });
    expect(earn?.orderId).toMatch(/^\d+$/);
    expect(earn?.orderName).toMatch(/^#/);
  });

  it("adjusts with a required note, once per form even when submitted twice", async () => {
    const { formToken } = await view();
    const noNote = await submit({ intent: "adjust", points: "50", note: " ", formToken });
    expect(noNote).toMatchObject({ ok: false, errors: { note: expect.stringMatching(/note/) } });
    const notWhole = await submit({ intent: "adjust", points: "1.5", note: "x", formToken });
    expect(notWhole).toMatchObject({ ok: false, errors: { points: expect.any(String) } });

    const form = { intent: "adjust", points: "50", note: "Sorry for the late parcel", formToken };
    expect(await submit(form)).toMatchObject({ ok: true, message: "Points adjusted by +50." });
    expect(await submit(form)).toMatchObject({ ok: true, message: /already applied/ });

    const page = await view();
    expect(page.member.pointsBalance).toBe(170);
    expect(page.formToken).not.toBe(formToken);
    expect(page.ledger.entries[0]).toMatchObject({
      points: 50,
      kind: "manual",
      source: "manual",
      note: "Sorry for the late parcel",
    });
    const added = await eventsOf(customer.id, "points.added");
    expect(added.at(-1)?.payload).toMatchObject({ points: 50, note: "Sorry for the late parcel" });
    await expectBalanceMatchesLedger(customer.id);
  });

  it("shows a debit beyond the balance next to the points field and posts nothing", async () => {
    const { formToken } = await view();
    const entries = await prisma.ledgerEntry.count();
    const result = await submit({ intent: "adjust", points: "-5000", note: "typo", formToken });
    expect(result).toMatchObject({
      ok: false,
      errors: {
        points:
          "The member has 170 points available: at most that many can be removed (you entered 5,000).",
      },
    });
    // A French admin reads it in French, numbers as French writes them.
    const french = await submit(
      { intent: "adjust", points: "-5000", note: "typo", formToken },
      "?locale=fr",
    );
    expect(french).toMatchObject({
      ok: false,
      errors: { points: expect.stringMatching(/^Le membre a 170 points disponibles.*5\s000\)\.$/) },
    });
    await view("?locale=en");
    expect(await prisma.ledgerEntry.count()).toBe(entries);
  });

  it("sets a tier with a lock, and names an unknown tier next to the field", async () => {
    const unknown = await submit({ intent: "tier", tier: "platinum", lockUntil: "" });
    expect(unknown).toMatchObject({ ok: false, errors: { tier: /no VIP tier/ } });
    const badDate = await submit({ intent: "tier", tier: "gold", lockUntil: "next week" });
    expect(badDate).toMatchObject({ ok: false, errors: { lockUntil: expect.any(String) } });

    const set = await submit({ intent: "tier", tier: "gold", lockUntil: "2030-06-30" });
    expect(set).toMatchObject({ ok: true, message: "Tier set to Gold." });
    const page = await view();
    expect(page.tier).toMatchObject({ id: "gold", name: "Gold", next: null });
    expect(page.tier.lockedUntil).toMatch(/^2030-07-01/);
    // The tier card says what changed last and why (ADR 0054); points tiers count no spend.
    expect(page.tier.lastChange).toMatchObject({ from: null, to: "Gold", reason: "manual" });
    expect(page.tier.spendMinor).toBeNull();
    const [updated] = await eventsOf(customer.id, "tier.updated");
    expect(updated?.payload).toMatchObject({ change: "manual_assign", current_tier: "Gold" });
  });

  it("saves a birthday and explains an impossible one on the day field", async () => {
    const impossible = await submit({ intent: "birthday", month: "2", day: "30", year: "" });
    expect(impossible).toMatchObject({ ok: false, errors: { day: expect.any(String) } });
    expect((await view()).member.birthday).toBeNull();

    expect(await submit({ intent: "birthday", month: "3", day: "14", year: "1990" })).toMatchObject(
      { ok: true, message: "Birthday saved." },
    );
    expect((await view()).member.birthday).toEqual({ month: 3, day: 14, year: 1990 });
    expect(await eventsOf(customer.id, "birth_month.captured")).toHaveLength(1);
  });

  it("pages the ledger newest first", async () => {
    const before = await view();
    for (let n = 1; n <= 25; n++) {
      const { formToken } = await view();
      await submit({ intent: "adjust", points: String(n), note: `gift ${n}`, formToken });
    }
    const first = await view();
    expect(first.ledger.entries).toHaveLength(20);
    expect(first.ledger.entries[0]?.note).toBe("gift 25");
    expect(first.ledger.isFirstPage).toBe(true);
    const second = await view(`?before=${first.ledger.nextCursor}`);
    expect(second.ledger.isFirstPage).toBe(false);
    const all = [...first.ledger.entries, ...second.ledger.entries];
    expect(all).toHaveLength(25 + before.ledger.entries.length);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all.at(-1)?.kind).toBe("earn");
    expect(second.ledger.nextCursor).toBeNull();
  });

  it("answers 404 for an unknown id or another shop's member", async () => {
    const other = await prisma.shop.create({ data: { domain: "other.myshopify.com" } });
    const stranger = await prisma.member.create({ data: { shopId: other.id, customerId: 1n } });
    for (const id of [stranger.id, "not-a-uuid"]) {
      const request = await adminRequest(`/app/members/${id}`);
      const result = await callLoader(loader, request, { id });
      expect((result as Response).status).toBe(404);
    }
    const write = await callRouteAction(
      action,
      await adminRequest(`/app/members/${stranger.id}`, {
        intent: "birthday",
        month: "1",
        day: "1",
        year: "",
      }),
      { id: stranger.id },
    );
    expect(write).toMatchObject({ ok: false, errors: { form: expect.any(String) } });
    expect(
      (await prisma.member.findUniqueOrThrow({ where: { id: stranger.id } })).birthMonth,
    ).toBeNull();
  });
});
