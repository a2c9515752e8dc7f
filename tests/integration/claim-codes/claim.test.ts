/**
 * Claim codes on the storefront (issue #23, ADR 0068) through the real signed App Proxy route:
 * a code works once, concurrent claims have one winner, refusals give no points and count as
 * failed guesses, which are limited per customer and per address.
 */
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { CLAIM_GUESS_LIMITS } from "~/domain/storefront/rate-limit";
import { action, loader } from "~/routes/proxy.claim";
import { createClaimBatch } from "~/services/claim-codes/batches.server";
import { callProxy, proxyRequest } from "../../support/proxy";
import { memberWithPoints } from "../../support/rewards";
import { TEST_SHOP } from "../../support/webhooks";

beforeEach(async () => {
  await prisma.session.upsert({
    where: { id: `offline_${TEST_SHOP}` },
    create: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "", accessToken: "shpat_x" },
    update: {},
  });
});

interface ClaimAnswer {
  claimed?: { code: string; points: number; balance: number };
  error?: { code: string; reason?: string };
}

/** A JSON claim as the widget would send it, from a given address. */
const claim = (customerId: bigint | null, code: string, ip = "203.0.113.7") =>
  callProxy<ClaimAnswer>(
    action,
    proxyRequest("claim", customerId, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: JSON.stringify({ code }),
    }),
  );

/** The claim page's form post, as a shopper's browser sends it. */
async function claimByForm(customerId: bigint, code: string) {
  const response = await action({
    request: proxyRequest("claim", customerId, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ code }).toString(),
      query: { code },
    }),
    params: {},
    context: {},
  });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    text: await response.text(),
  };
}

async function batchOf(shopId: string, points: number, count: number, expiresOn = "") {
  const created = await createClaimBatch(shopId, {
    name: "Market stand",
    points: String(points),
    count: String(count),
    expiresOn,
    requestKey: `k-${points}-${count}-${Math.random()}`,
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const codes = await prisma.claimCode.findMany({ where: { batchId: created.batchId } });
  return { batchId: created.batchId, codes: codes.map((c) => c.code) };
}

const pointsOf = async (shopId: string, customerId: bigint) =>
  (await prisma.member.findFirstOrThrow({ where: { shopId, customerId } })).pointsBalance;

/** The offline_purchase entries of the members given (the file's database is shared by its tests). */
const offlineEntries = async (shopId: string, ...customerIds: bigint[]) => {
  const members = await prisma.member.findMany({
    where: { shopId, customerId: { in: customerIds } },
  });
  return prisma.ledgerEntry.findMany({
    where: { shopId, source: "offline_purchase", memberId: { in: members.map((x) => x.id) } },
  });
};

describe("POST /apps/loyalty/claim", () => {
  it("credits the points once, with source offline_purchase and a points.added event", async () => {
    // GIVEN a member with 40 points and a batch of codes worth 250
    const m = await memberWithPoints(40);
    const { codes } = await batchOf(m.shopId, 250, 3);
    const code = codes[0] ?? "";
    const printed = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;

    // WHEN the member claims it as printed, in lower case
    const first = await claim(m.customerId, printed.toLowerCase());

    // THEN 250 points, one ledger entry, one event, the code marked claimed
    expect(first.status).toBe(200);
    expect(first.body.claimed).toEqual({ code: printed, points: 250, balance: 290 });
    expect(await pointsOf(m.shopId, m.customerId)).toBe(290);
    const entries = await offlineEntries(m.shopId, m.customerId);
    expect(entries).toMatchObject([{ points: 250, kind: "bonus", balanceAfter: 290 }]);
    const events = await prisma.loyaltyEvent.findMany({
      where: { shopId: m.shopId, type: "points.added", customerId: m.customerId },
    });
    const offline = events.filter(
      (e) => (e.payload as { source: string }).source === "offline_purchase",
    );
    expect(offline).toHaveLength(1);
    expect(offline[0]?.payload).toMatchObject({
      points: 250,
      source: "offline_purchase",
      order_id: null,
    });
    const row = await prisma.claimCode.findFirstOrThrow({ where: { shopId: m.shopId, code } });
    expect(row.claimedAt).not.toBeNull();

    // WHEN it is claimed again, by the same member or another
    const other = await memberWithPoints(0, m.store);
    const again = await claim(m.customerId, code);
    const byOther = await claim(other.customerId, code);

    // THEN both are refused as used, and nobody got more points
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "claim_refused", reason: "used" });
    expect(byOther.body.error?.reason).toBe("used");
    expect(await pointsOf(m.shopId, m.customerId)).toBe(290);
    expect(await pointsOf(m.shopId, other.customerId)).toBe(0);
    expect(await offlineEntries(m.shopId, m.customerId, other.customerId)).toHaveLength(1);
  });

  it("gives one code to exactly one of several shoppers claiming it at once", async () => {
    const first = await memberWithPoints(0);
    const rivals = [first];
    for (let i = 0; i < 3; i++) rivals.push(await memberWithPoints(0, first.store));
    const { codes } = await batchOf(first.shopId, 100, 1);
    const code = codes[0] ?? "";

    const answers = await Promise.all(rivals.map((r) => claim(r.customerId, code)));

    const winners = answers.filter((a) => a.status === 200);
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => a.body.error?.reason === "used")).toHaveLength(3);
    const balances = await Promise.all(rivals.map((r) => pointsOf(first.shopId, r.customerId)));
    expect(balances.sort()).toEqual([0, 0, 0, 100]);
    expect(await offlineEntries(first.shopId, ...rivals.map((r) => r.customerId))).toHaveLength(1);
  });

  it("refuses expired, unknown and malformed codes with their reason and no points", async () => {
    const m = await memberWithPoints(0);
    const { batchId, codes } = await batchOf(m.shopId, 300, 1, tomorrow());
    // The batch's last day has passed.
    await prisma.claimCodeBatch.update({
      where: { id: batchId },
      data: { expiresAt: new Date(Date.now() - 60_000) },
    });

    const expired = await claim(m.customerId, codes[0] ?? "");
    const unknown = await claim(m.customerId, "K7QF-M2XR-9PDA");
    const malformed = await claim(m.customerId, "K7QF-M2XR-9PD0");
    const tooShort = await claim(m.customerId, "ABC");

    expect([expired.status, expired.body.error?.reason]).toEqual([410, "expired"]);
    expect([unknown.status, unknown.body.error?.reason]).toEqual([404, "unknown"]);
    expect([malformed.status, malformed.body.error?.reason]).toEqual([422, "malformed"]);
    expect(tooShort.body.error?.reason).toBe("malformed");
    expect(await pointsOf(m.shopId, m.customerId)).toBe(0);
    expect(await offlineEntries(m.shopId, m.customerId)).toHaveLength(0);
    const row = await prisma.claimCode.findFirstOrThrow({ where: { batchId } });
    expect(row.claimedAt).toBeNull();
  });

  it("asks a signed-out shopper to sign in and changes nothing", async () => {
    const m = await memberWithPoints(0);
    const { codes } = await batchOf(m.shopId, 100, 1);

    const answer = await claim(null, codes[0] ?? "");

    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe("sign_in");
    expect(
      await prisma.claimCode.count({ where: { code: codes[0], claimedAt: { not: null } } }),
    ).toBe(0);
  });

  it("stops a customer after too many failed guesses, even with a good code", async () => {
    const m = await memberWithPoints(0);
    const { codes } = await batchOf(m.shopId, 100, 1);
    const limit = CLAIM_GUESS_LIMITS.customer.limit;
    for (let i = 0; i < limit; i++) {
      const guess = await claim(
        m.customerId,
        `ZZZZ-ZZZZ-ZZ${"23456789"[i] ?? "2"}${i % 8}`,
        "198.51.100.1",
      );
      expect(guess.body.error?.reason).toMatch(/unknown|malformed/);
    }

    const blocked = await claim(m.customerId, codes[0] ?? "", "198.51.100.1");

    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await pointsOf(m.shopId, m.customerId)).toBe(0);
    // Another customer on another address is not held back.
    const other = await memberWithPoints(0, m.store);
    expect((await claim(other.customerId, codes[0] ?? "", "198.51.100.2")).status).toBe(200);
  });

  it("stops an address after too many failed guesses across customers", async () => {
    const m = await memberWithPoints(0);
    const { codes } = await batchOf(m.shopId, 100, 1);
    const perCustomer = CLAIM_GUESS_LIMITS.customer.limit;
    const customers = Math.ceil(CLAIM_GUESS_LIMITS.ip.limit / perCustomer);
    let guesses = 0;
    for (let c = 0; c < customers; c++) {
      const guesser = await memberWithPoints(0, m.store);
      for (let i = 0; i < perCustomer && guesses < CLAIM_GUESS_LIMITS.ip.limit; i++, guesses++) {
        expect((await claim(guesser.customerId, "not-a-code", "192.0.2.9")).status).toBe(422);
      }
    }

    // A fresh customer on the same address is refused; the same customer elsewhere is not.
    const blocked = await claim(m.customerId, codes[0] ?? "", "192.0.2.9");
    expect(blocked.status).toBe(429);
    expect((await claim(m.customerId, codes[0] ?? "", "192.0.2.10")).status).toBe(200);
  });

  it("does not take a code of another shop", async () => {
    const m = await memberWithPoints(0);
    const other = await prisma.shop.create({ data: { domain: "other-shop.myshopify.com" } });
    const { codes } = await batchOf(other.id, 500, 1);

    const answer = await claim(m.customerId, codes[0] ?? "");

    expect(answer.body.error?.reason).toBe("unknown");
    expect(await pointsOf(m.shopId, m.customerId)).toBe(0);
    const row = await prisma.claimCode.findFirstOrThrow({ where: { shopId: other.id } });
    expect(row.claimedAt).toBeNull();
  });
});

describe("the claim page (GET, and the form's POST)", () => {
  it("asks a signed-out shopper to sign in and come back to the code", async () => {
    const m = await memberWithPoints(0);
    const { codes } = await batchOf(m.shopId, 100, 1);
    const code = codes[0] ?? "";

    const response = await loader({
      request: proxyRequest("claim", null, { query: { code } }),
      params: {},
      context: {},
    });
    const page = await response.text();

    expect(response.headers.get("content-type")).toContain("application/liquid");
    expect(page).toContain('data-state="sign_in"');
    expect(page).toContain(
      `{{ routes.account_login_url }}?return_url=${encodeURIComponent(`/apps/loyalty/claim?code=${code}`)}`,
    );
    // Both languages, chosen by the storefront's locale.
    expect(page).toContain("Sign in to your account");
    expect(page).toContain("Connectez-vous à votre compte");
  });

  it("shows the signed-in shopper a button, then the points, then that the code is used", async () => {
    const m = await memberWithPoints(10);
    const { codes } = await batchOf(m.shopId, 120, 1);
    const code = codes[0] ?? "";

    const ready = await (
      await loader({
        request: proxyRequest("claim", m.customerId, { query: { code } }),
        params: {},
        context: {},
      })
    ).text();
    expect(ready).toContain('data-state="ready"');
    expect(await pointsOf(m.shopId, m.customerId)).toBe(10);

    const claimed = await claimByForm(m.customerId, code);
    expect(claimed.type).toContain("application/liquid");
    expect(claimed.text).toContain('data-state="claimed"');
    expect(claimed.text).toContain(
      "120 points were added to your account. Your balance is now 130 points.",
    );
    expect(claimed.text).toContain("120 points ont été ajoutés à votre compte.");

    const used = await claimByForm(m.customerId, code);
    expect(used.text).toContain('data-state="used"');
    expect(used.text).toContain("already been used");
    expect(await pointsOf(m.shopId, m.customerId)).toBe(130);
  });

  it("escapes what the shopper typed: no HTML, no Liquid", async () => {
    const m = await memberWithPoints(0);
    const page = await (
      await loader({
        request: proxyRequest("claim", m.customerId, { query: { code: "<b>{{ shop.name }}</b>" } }),
        params: {},
        context: {},
      })
    ).text();
    expect(page).toContain('data-state="malformed"');
    expect(page).not.toContain("<b>");
    expect(page).not.toContain("{{ shop");
  });
});

function tomorrow() {
  return new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
}
