/**
 * The merchant's claim codes page (issue #23): creating a batch through the admin action, the
 * list's counts, and the CSV and PDF downloads, through authenticated admin requests.
 */
import { inflateSync } from "node:zlib";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { parseCsv } from "~/domain/csv";
import { action, loader } from "~/routes/app.claim-codes";
import { loader as csvLoader } from "~/routes/app.claim-codes.$id.csv";
import { loader as pdfLoader } from "~/routes/app.claim-codes.$id.pdf";
import { claimCode } from "~/services/claim-codes/claim.server";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import { memberWithPoints } from "../../support/rewards";
import { TEST_SHOP } from "../../support/webhooks";

beforeEach(async () => {
  await installTestShop();
});

async function create(form: Record<string, string>) {
  const result = (await callRouteAction(
    action,
    await adminRequest("/app/claim-codes", { requestKey: crypto.randomUUID(), ...form }),
  )) as unknown as { data: Record<string, unknown>; init: { status?: number } | null };
  return { status: result.init?.status ?? 200, body: result.data };
}

const page = async () => dataOf(await callLoader(loader, await adminRequest("/app/claim-codes")));

const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

describe("admin claim codes", () => {
  it("creates a batch, lists its counts, and downloads it as CSV and as a PDF of QR codes", async () => {
    // GIVEN a member to claim one code
    const m = await memberWithPoints(0);

    // WHEN the merchant creates 14 codes of 75 points with a last day
    const created = await create({
      name: "Fête du marché",
      points: "75",
      count: "14",
      expiresOn: inAWeek(),
    });

    // THEN the batch exists with 14 distinct codes of the shop
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ ok: true, created: true });
    const batchId = String(created.body.batchId);
    const codes = await prisma.claimCode.findMany({ where: { batchId } });
    expect(new Set(codes.map((c) => c.code)).size).toBe(14);
    expect(codes.every((c) => /^[23456789A-HJ-NP-Z]{12}$/.test(c.code))).toBe(true);

    // WHEN a shopper claims one, the list counts it
    const first = codes[0]?.code ?? "";
    await claimCode({ shopId: m.shopId, customerId: m.customerId, input: first, ip: "1.2.3.4" });
    const listed = (await page()).batches.find((b) => b.id === batchId);
    expect(listed).toMatchObject({
      name: "Fête du marché",
      points: 75,
      count: 14,
      claimed: 1,
      expired: 0,
    });

    // THEN the CSV has every code, its claim URL on the shop's App Proxy, and the claim
    const csv = (await callLoader(
      csvLoader,
      await adminRequest(`/app/claim-codes/${batchId}/csv`),
      { id: batchId },
    )) as Response;
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain("claim-codes-fete-du-marche.csv");
    const rows = parseCsv(await csv.text());
    expect(rows[0]?.fields).toEqual(["code", "claim_url", "points", "expires_on", "claimed_at"]);
    expect(rows).toHaveLength(15);
    const printed = `${first.slice(0, 4)}-${first.slice(4, 8)}-${first.slice(8)}`;
    const claimedRow = rows.find((r) => r.fields[0] === printed);
    expect(claimedRow?.fields[1]).toBe(`https://${TEST_SHOP}/apps/loyalty/claim?code=${printed}`);
    expect(claimedRow?.fields[2]).toBe("75");
    expect(claimedRow?.fields[3]).toBe(inAWeek());
    expect(claimedRow?.fields[4]).not.toBe("");

    // AND the PDF is two pages (12 labels a page), each code printed under its QR code
    const pdf = (await callLoader(
      pdfLoader,
      await adminRequest(`/app/claim-codes/${batchId}/pdf`),
      { id: batchId },
    )) as Response;
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 8).toString("latin1")).toBe("%PDF-1.4");
    expect(bytes.toString("latin1")).toContain("/Count 2");
    const text = pageStreams(bytes).join("\n");
    for (const { code } of codes) {
      expect(text).toContain(`(${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}) Tj`);
    }
    expect(text).toContain(`75 points \xb7 until ${inAWeek()}`);
  });

  it("refuses bad input field by field, and creates nothing", async () => {
    const before = await prisma.claimCodeBatch.count();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

    const refused = await create({ name: " ", points: "0", count: "10001", expiresOn: yesterday });
    const tooMany = await create({
      name: "x",
      points: "100001",
      count: "abc",
      expiresOn: "2027-02-30",
    });

    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors as object).sort()).toEqual([
      "count",
      "expiresOn",
      "name",
      "points",
    ]);
    expect(tooMany.status).toBe(400);
    expect(Object.keys(tooMany.body.errors as object).sort()).toEqual([
      "count",
      "expiresOn",
      "points",
    ]);
    expect(await prisma.claimCodeBatch.count()).toBe(before);
  });

  it("creates one batch for a form sent twice, and downloads no batch of another shop", async () => {
    const form = {
      requestKey: "same-form",
      name: "Twice",
      points: "10",
      count: "3",
      expiresOn: "",
    };
    const first = await create(form);
    const second = await create(form);
    expect(second.body).toMatchObject({ ok: true, created: false, batchId: first.body.batchId });
    expect(await prisma.claimCode.count({ where: { batchId: String(first.body.batchId) } })).toBe(
      3,
    );

    const other = await prisma.shop.create({ data: { domain: "someone-else.myshopify.com" } });
    const foreign = await prisma.claimCodeBatch.create({
      data: { shopId: other.id, name: "Theirs", points: 5, count: 1, requestKey: "x" },
    });
    const answer = (await callLoader(
      csvLoader,
      await adminRequest(`/app/claim-codes/${foreign.id}/csv`),
      { id: foreign.id },
    )) as Response;
    expect(answer.status).toBe(404);
  });
});

/** Every page's content stream, inflated. */
function pageStreams(pdf: Buffer): string[] {
  const text = pdf.toString("latin1");
  const streams: string[] = [];
  const pattern = /\/Filter \/FlateDecode >>\nstream\n/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const start = match.index + match[0].length;
    const end = text.indexOf("\nendstream", start);
    streams.push(inflateSync(pdf.subarray(start, end)).toString("latin1"));
  }
  return streams;
}
