/**
 * Claim codes for offline purchases (issue #23, ADR 0068), as the merchant and a shopper see them:
 * the merchant creates a batch in the admin and downloads its CSV and its sheet of QR codes; a
 * shopper opens one code's link on the storefront, signs in, comes back to the claim page, gets
 * the points, and the same code is refused the second time.
 */
import fs from "node:fs";
import { inflateSync } from "node:zlib";
import type { Download, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotAndCheckA11y, seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

const fixture = sandboxPerFile(".data/e2e-claim-codes");
const origin = () => new URL(fixture.sandbox().storefrontUrl).origin;
const CODE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

/** The downloaded file's bytes. */
async function bytesOf(download: Download): Promise<Buffer> {
  const file = await download.path();
  return fs.readFileSync(file);
}

/** Every deflated stream of the PDF, inflated (the page contents, where the codes are drawn). */
function pdfStreams(pdf: Buffer): string {
  const text = pdf.toString("latin1");
  const streams: string[] = [];
  const pattern = /\/Filter \/FlateDecode >>\nstream\n/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const start = match.index + match[0].length;
    const end = text.indexOf("\nendstream", start);
    streams.push(inflateSync(pdf.subarray(start, end)).toString("latin1"));
  }
  return streams.join("\n");
}

/** The signed-in shopper's available points, as the storefront widget reads them. */
async function availablePoints(page: Page): Promise<number> {
  const reply = await page.request.get(`${origin()}/apps/loyalty/member`);
  const body = (await reply.json()) as { member: { availablePoints: number } | null };
  return body.member?.availablePoints ?? 0;
}

describe("claim codes, from the admin's batch to a shopper's points", { timeout: 240_000 }, () => {
  it("creates a batch, downloads its CSV and QR sheet, and a shopper claims a code once", async () => {
    const admin = await newPage(fixture.browser());
    const failed: string[] = [];
    admin.on("requestfailed", (request) => failed.push(request.url()));
    await fixture.openAdmin(admin, "/app/claim-codes");
    await admin.getByRole("heading", { name: "Claim codes", level: 1 }).waitFor();
    await admin.getByText("No claim codes yet. Create a batch above.").waitFor();
    expect(await seriousAxeViolations(admin)).toEqual([]);

    // A batch with the form; it is listed with its counts.
    await admin.getByLabel("Batch name").fill("Spring fair");
    await admin.getByLabel("Points per code").fill("250");
    await admin.getByLabel("Number of codes").fill("3");
    await admin.getByRole("button", { name: "Create codes" }).click();
    await admin.getByText("Codes created. Download them below", { exact: false }).waitFor();
    const row = admin.getByRole("row", { name: /Spring fair/ });
    await row.waitFor();
    const header = await admin.getByRole("table").getByRole("columnheader").allInnerTexts();
    const cells = [
      await row.getByRole("rowheader").innerText(),
      ...(await row.getByRole("cell").allInnerTexts()),
    ];
    const cell = (name: string) => cells[header.findIndex((h) => h.trim() === name)]?.trim();
    expect(cell("Batch")).toMatch(/^Spring fair\n/);
    expect(cell("Points per code")).toBe("250");
    expect(cell("Created")).toBe("3");
    expect(cell("Claimed")).toBe("0");
    expect(cell("Expired unclaimed")).toBe("0");
    expect(cell("Last day")).toBe("Never expire");
    // The form is empty again for the next batch.
    expect(await admin.getByLabel("Batch name").inputValue()).toBe("");
    await screenshotAndCheckA11y(admin, "admin-claim-codes");

    // The CSV through its button: three codes, each with its claim page on the shop's domain.
    const [csvDownload] = await Promise.all([
      admin.waitForEvent("download"),
      admin.getByRole("button", { name: "Download the codes of Spring fair as CSV" }).click(),
    ]);
    expect(csvDownload.suggestedFilename()).toBe("claim-codes-spring-fair.csv");
    const csv = (await bytesOf(csvDownload)).toString("utf8");
    const lines = csv.split(/\r?\n/).filter(Boolean);
    expect(lines[0]).toBe("code,claim_url,points,expires_on,claimed_at");
    const records = lines.slice(1).map((line) => line.split(","));
    expect(records).toHaveLength(3);
    const shopDomain = fixture.sandbox().shopify.store.shop.domain;
    for (const [code, claimUrl, points, expiresOn, claimedAt] of records) {
      expect(code).toMatch(CODE);
      expect(claimUrl).toBe(`https://${shopDomain}/apps/loyalty/claim?code=${code}`);
      expect(points).toBe("250");
      expect(expiresOn).toBe("");
      expect(claimedAt).toBe("");
    }
    const codes = records.map(([code]) => code!);
    expect(new Set(codes).size).toBe(3);

    // The printable sheet through its button: a PDF with every code drawn on it.
    const [pdfDownload] = await Promise.all([
      admin.waitForEvent("download"),
      admin.getByRole("button", { name: "Download the QR codes of Spring fair as PDF" }).click(),
    ]);
    expect(pdfDownload.suggestedFilename()).toBe("claim-codes-spring-fair.pdf");
    const pdf = await bytesOf(pdfDownload);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const drawn = pdfStreams(pdf);
    for (const code of codes) expect(drawn).toContain(`(${code}) Tj`);
    expect(drawn).toContain("(250 points) Tj");
    expect(await admin.getByText("The file could not be downloaded.").count()).toBe(0);

    // A shopper scans the first code: the link is the shop's, so on this storefront its path.
    const claimLink = new URL(records[0]![1]!);
    const claimPage = `${origin()}${claimLink.pathname}${claimLink.search}`;
    const shopper = await newPage(fixture.browser());
    await shopper.goto(claimPage, { waitUntil: "networkidle" });
    await shopper.getByRole("heading", { name: "Collect your points" }).waitFor();
    await shopper
      .getByText(`Sign in to your account to add the points of code ${codes[0]} to it.`)
      .waitFor();
    expect(
      await shopper.getByRole("button", { name: "Add the points to my account" }).count(),
    ).toBe(0);
    expect(await seriousAxeViolations(shopper)).toEqual([]);

    // Signing in brings them back to the claim page, which now offers the button.
    await shopper.getByRole("link", { name: "Sign in", exact: true }).click();
    await shopper.waitForURL(/\/account\/login/);
    await shopper.getByRole("button", { name: /Ada Lovelace/ }).click();
    await shopper.waitForURL((url) => url.pathname === "/apps/loyalty/claim");
    expect(new URL(shopper.url()).searchParams.get("code")).toBe(codes[0]);
    await shopper.getByText(`Your code: ${codes[0]}`).waitFor();
    const before = await availablePoints(shopper);
    expect(await seriousAxeViolations(shopper)).toEqual([]);

    // The claim: the points are added and the page says the new balance.
    await shopper.getByRole("button", { name: "Add the points to my account" }).click();
    const granted = shopper.locator('[data-state="claimed"]');
    await granted.waitFor();
    expect(await granted.innerText()).toBe(
      `250 points were added to your account. Your balance is now ${before + 250} points.`,
    );
    expect(await availablePoints(shopper)).toBe(before + 250);
    const background = (message: typeof granted) =>
      message.evaluate((el) => getComputedStyle(el).backgroundColor);
    const grantedBackground = await background(granted);
    await screenshotAndCheckA11y(shopper, "storefront-claim-code");

    // The panel on the storefront shows the same balance.
    await shopper.goto(`${origin()}/pages/rewards`, { waitUntil: "networkidle" });
    await shopper.locator(".lw-launcher").click();
    const balance = shopper.locator("#lw-panel [data-lw-balance]");
    await balance.waitFor();
    expect(Number((await balance.innerText()).replace(/\D/g, ""))).toBe(before + 250);

    // The same code again, from its link: refused as used, and no points.
    await shopper.goto(claimPage, { waitUntil: "networkidle" });
    await shopper.getByRole("button", { name: "Add the points to my account" }).click();
    const refused = shopper.locator('[data-state="used"]');
    await refused.waitFor();
    expect(await refused.getAttribute("role")).toBe("alert");
    expect(await refused.innerText()).toBe(
      "This code has already been used. Each code gives its points once.",
    );
    expect(await shopper.locator('[data-state="claimed"]').count()).toBe(0);
    // A refusal does not look like a granted claim.
    expect(await background(refused)).not.toBe(grantedBackground);
    expect(await availablePoints(shopper)).toBe(before + 250);
    await screenshotAndCheckA11y(shopper, "storefront-claim-code-used");

    // The merchant sees one code claimed, and the points on Ada's page with their source.
    await admin.reload({ waitUntil: "networkidle" });
    const claimedCells = await admin
      .getByRole("row", { name: /Spring fair/ })
      .getByRole("cell")
      .allInnerTexts();
    expect(claimedCells[header.findIndex((h) => h.trim() === "Claimed") - 1]?.trim()).toBe("1");
    await fixture.openAdmin(admin, "/app/members");
    await admin.getByRole("link", { name: "Ada Lovelace" }).click();
    const entry = admin.getByRole("row", { name: /for an in-store purchase \(claim code\)/ });
    await entry.waitFor();
    expect(await entry.innerText()).toContain("+250");
    expect(failed.filter((url) => !url.startsWith("https://cdn.shopify.com/"))).toEqual([]);
  });
});
