import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { parseCsv } from "~/domain/csv/index";
import type { LineError } from "~/domain/import";
import { hasMessage, translate, type Locale } from "~/lib/i18n";
import { loader as ledgerExport } from "~/routes/app.export.ledger";
import { loader as membersExport } from "~/routes/app.export.members";
import { action, loader } from "~/routes/app.import-export";
import { adjustPoints } from "~/services/ledger/adjust.server";
import { applyImport } from "~/services/import-export/import.server";
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
  { id: "silver", name: "Silver", threshold: { kind: "lifetime_points", points: 500 } },
  { id: "gold", name: "Gold", threshold: { kind: "lifetime_points", points: 2000 } },
];

const store = newStore();
let shopId: string;
const ada = store.addCustomer({
  email: "ada@example.com",
  first_name: "Ada",
  last_name: "Lovelace, Countess",
});
const bob = store.addCustomer({
  email: "bob@example.com",
  first_name: '=HYPERLINK("http://evil")',
});

beforeAll(async () => {
  await installTestShop();
  await deliver("customers/create", ada);
  await deliver("customers/create", bob);
  shopId = (await prisma.shop.findFirstOrThrow()).id;
  await prisma.programVersion.create({ data: { shopId, version: 1, config: { tiers: TIERS } } });
});

/** A report's refused lines as the page writes them; a reason must be a copy key. */
function written(errors: unknown, locale: Locale = "en") {
  return (errors as LineError[]).map(({ line, reason, params }) => {
    if (!hasMessage(reason)) throw new Error(`not a copy key: ${reason}`);
    return { line, reason: translate(locale, reason, params) };
  });
}

async function upload(
  fileName: string,
  text: string,
  balanceMode?: "add" | "set",
  locale?: Locale,
) {
  const auth = (await adminRequest("/app/import-export")).headers.get("authorization")!;
  const form = new FormData();
  form.set("intent", "check");
  if (balanceMode) form.set("balanceMode", balanceMode);
  form.set("file", new File([text], fileName, { type: "text/csv" }));
  const query = locale ? `?locale=${locale}` : "";
  const request = new Request(`https://loyalty-app.test/app/import-export${query}`, {
    method: "POST",
    headers: { authorization: auth },
    body: form,
  });
  return callRouteAction(action, request);
}

async function apply(runId: string) {
  return callRouteAction(
    action,
    await adminRequest("/app/import-export", { intent: "apply", runId }),
  );
}

async function download(route: typeof membersExport, path: string) {
  const response = (await callLoader(route, await adminRequest(path))) as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
  expect(response.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.csv"/);
  return parseCsv(await response.text()).map((r) => r.fields);
}

describe("CSV export", () => {
  it("members: RFC 4180 quoting, formulas defused, only this shop's members", async () => {
    const other = await prisma.shop.create({ data: { domain: "other-shop.myshopify.com" } });
    await prisma.member.create({
      data: { shopId: other.id, customerId: 999n, email: "other@example.com" },
    });

    const rows = await download(membersExport, "/app/export/members");

    expect(rows[0]).toEqual([
      "customer_id",
      "email",
      "first_name",
      "last_name",
      "status",
      "points",
      "lifetime_earned",
      "lifetime_spent",
      "tier",
      "birthday",
      "store_credit_minor",
      "store_credit_currency",
      "member_since",
      "last_activity",
    ]);
    const byEmail = new Map(rows.slice(1).map((r) => [r[1], r]));
    expect(byEmail.get("ada@example.com")?.[3]).toBe("Lovelace, Countess");
    expect(byEmail.get("bob@example.com")?.[2]).toBe('\'=HYPERLINK("http://evil")');
    expect(byEmail.has("other@example.com")).toBe(false);
  });

  it("ledger: every entry of the shop in order, with signed points", async () => {
    await adjustPoints({
      shopId,
      customerId: BigInt(ada.id),
      points: 40,
      note: null,
      source: "manual",
      idempotencyKey: "x:1",
    });
    await adjustPoints({
      shopId,
      customerId: BigInt(ada.id),
      points: -15,
      note: null,
      source: "manual",
      idempotencyKey: "x:2",
    });

    const rows = await download(ledgerExport, "/app/export/ledger");

    expect(rows[0]?.slice(0, 8)).toEqual([
      "entry_id",
      "created_at",
      "customer_id",
      "email",
      "kind",
      "source",
      "points",
      "balance_after",
    ]);
    const ada_ = rows.filter((r) => r[2] === String(ada.id));
    expect(ada_.map((r) => [r[6], r[7]])).toEqual([
      ["40", "40"],
      ["-15", "25"],
    ]);
    expect(rows.length - 1).toBe(await prisma.ledgerEntry.count({ where: { shopId } }));
  });
});

describe("CSV import", () => {
  const carol = store.addCustomer({ email: "carol@example.com" });
  const file = [
    "customer_id,email,points,tier,birthday",
    `${ada.id},,500,Gold,1990-02-14`,
    `,BOB@example.com,120,,`,
    `${carol.id},carol@example.com,75,silver,07-04`,
    `,nobody@example.com,10,,`,
    `${bob.id},,5,Platinum,`,
    `${ada.id},,1.5,,`,
  ].join("\r\n");

  it("a dry run reports each bad line with its reason and changes nothing; applying twice applies once", async () => {
    const before = await prisma.ledgerEntry.count({ where: { shopId } });

    // WHEN the file is checked
    const checked = await upload("old-app.csv", file);

    // THEN a report of the bad lines, and no member changed
    expect(checked.ok).toBe(true);
    expect(checked.report).toMatchObject({ state: "checked", totalRows: 6, validRows: 3 });
    expect(written(checked.report?.errors)).toEqual([
      { line: 5, reason: "no member has the email nobody@example.com" },
      { line: 6, reason: 'there is no VIP tier "Platinum" (tiers: Silver, Gold)' },
      { line: 7, reason: 'points "1.5" is not a whole number' },
    ]);
    expect(await prisma.ledgerEntry.count({ where: { shopId } })).toBe(before);
    expect(await memberOf(carol.id)).toBeNull();
    const page = dataOf(await callLoader(loader, await adminRequest("/app/import-export")));
    expect(page.runs[0]?.id).toBe(checked.report?.id);

    // WHEN it is applied (twice: a double click) and the job runs
    const runId = checked.report!.id;
    expect((await apply(runId)).ok).toBe(true);
    await apply(runId);
    await applyImport(shopId, runId);

    // THEN the good lines are applied, each once
    const run = await prisma.importRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({
      state: "done",
      processedRows: 3,
      appliedRows: 3,
      skippedRows: 0,
      csv: "", // customers' emails are not kept once applied
    });
    const adaNow = await memberOf(ada.id);
    expect(adaNow).toMatchObject({
      pointsBalance: 525,
      tierId: "gold",
      birthMonth: 2,
      birthDay: 14,
      birthYear: 1990,
    });
    expect((await memberOf(bob.id))?.pointsBalance).toBe(120);
    expect(await memberOf(carol.id)).toMatchObject({
      pointsBalance: 75,
      tierId: "silver",
      birthMonth: 7,
      birthDay: 4,
    });
    const imported = (await eventsOf(ada.id, "points.added")).filter(
      (e) => (e.payload as { source: string }).source === "import",
    );
    expect(imported).toHaveLength(1);
    // The tier the file sets is announced as imported, not as set by staff.
    expect((await eventsOf(ada.id, "tier.updated")).at(-1)?.payload).toMatchObject({
      current_tier: "Gold",
      reason: "import",
    });
    for (const c of [ada, bob, carol]) await expectBalanceMatchesLedger(c.id);

    // WHEN the same file is imported again
    const again = await upload("old-app (1).csv", file);
    await apply(again.report!.id);
    await applyImport(shopId, again.report!.id);

    // THEN nothing changes
    expect(
      await prisma.importRun.findUniqueOrThrow({ where: { id: again.report!.id } }),
    ).toMatchObject({
      state: "done",
      appliedRows: 0,
      skippedRows: 3,
    });
    expect((await memberOf(ada.id))?.pointsBalance).toBe(525);
    expect((await memberOf(carol.id))?.pointsBalance).toBe(75);
  });

  it("says whether points add or set the balance, previews each balance, and applies it that way", async () => {
    const erin = store.addCustomer({ email: "erin@example.com" });
    const finn = store.addCustomer({ email: "finn@example.com" });
    await deliver("customers/create", erin);
    await deliver("customers/create", finn);
    await deliver(
      "orders/paid",
      store.addPaidOrder(erin, [{ title: "Hat", price: "29.00", quantity: 1 }]),
    );
    await deliver(
      "orders/paid",
      store.addPaidOrder(finn, [{ title: "Cap", price: "80.00", quantity: 1 }]),
    );
    const erinBefore = (await memberOf(erin.id))!.pointsBalance;
    const finnBefore = (await memberOf(finn.id))!.pointsBalance;
    const csv = "email,points\nerin@example.com,100\nfinn@example.com,50\n";

    const added = await upload("add.csv", csv);
    expect(added.report).toMatchObject({ balanceMode: "add" });
    expect(added.report?.preview).toEqual([
      { line: 2, customer: "erin@example.com", before: erinBefore, after: erinBefore + 100 },
      { line: 3, customer: "finn@example.com", before: finnBefore, after: finnBefore + 50 },
    ]);

    const set = await upload("set.csv", csv, "set");
    expect(set.report?.preview).toEqual([
      { line: 2, customer: "erin@example.com", before: erinBefore, after: 100 },
      { line: 3, customer: "finn@example.com", before: finnBefore, after: 50 },
    ]);
    await apply(set.report!.id);
    await applyImport(shopId, set.report!.id);

    // Each balance is what the preview said: raised to 100, lowered to 50.
    expect((await memberOf(erin.id))?.pointsBalance).toBe(100);
    expect((await memberOf(finn.id))?.pointsBalance).toBe(50);
    const lowered = await eventsOf(finn.id, "points.subtracted");
    expect(lowered.at(-1)?.payload).toMatchObject({
      points: finnBefore - 50,
      source: "manual",
      note: "Balance set to 50 by set.csv, line 3",
    });
    for (const c of [erin, finn]) await expectBalanceMatchesLedger(c.id);
  });

  it("a line that turns bad between check and apply is reported and not half-applied", async () => {
    const dave = store.addCustomer({ email: "dave@example.com" });
    await deliver("customers/create", dave);
    const checked = await upload("late.csv", `customer_id,points,tier\n${dave.id},30,Gold\n`);
    // The merchant removes the Gold tier before the import runs.
    await prisma.programVersion.create({
      data: { shopId, version: 2, config: { tiers: TIERS.slice(0, 1) } },
    });
    await apply(checked.report!.id);
    await applyImport(shopId, checked.report!.id);

    const run = await prisma.importRun.findUniqueOrThrow({ where: { id: checked.report!.id } });
    expect(written(run.errors)).toEqual([
      { line: 2, reason: 'there is no VIP tier "Gold" (tiers: Silver)' },
    ]);
    expect(written(run.errors, "fr")).toEqual([
      { line: 2, reason: "il n’y a pas de niveau VIP «\u00a0Gold\u00a0» (niveaux\u00a0: Silver)" },
    ]);
    expect((await memberOf(dave.id))?.pointsBalance).toBe(0); // the points of that line were rolled back
    await prisma.programVersion.create({ data: { shopId, version: 3, config: { tiers: TIERS } } });
  });

  it("a file that is not an import is refused as a whole, and nothing is stored", async () => {
    const runs = await prisma.importRun.count({ where: { shopId } });
    expect(await upload("x.csv", "name,balance\nada,5\n")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Unknown column "name", "balance"/),
    });
    // A French admin is told in French.
    expect(await upload("x.csv", "name,balance\nada,5\n", undefined, "fr")).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^Colonne inconnue "name", "balance"\u00a0; les colonnes possibles/,
      ),
    });
    await callLoader(loader, await adminRequest("/app/import-export?locale=en"));
    expect(await upload("x.csv", "")).toMatchObject({ ok: false });
    expect(await apply("00000000-0000-4000-8000-000000000000")).toMatchObject({
      ok: false,
      message: "There is no such import: reload the page.",
    });
    expect(await prisma.importRun.count({ where: { shopId } })).toBe(runs);
  });
});
