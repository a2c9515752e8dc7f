import path from "node:path";
import type { Frame, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

const fixture = sandboxPerFile(".data/e2e-reload", { seedProgram: true });

/** Every admin page with the heading it shows; `:member` is a member's id. */
const ADMIN_PAGES: [path: string, heading: RegExp][] = [
  ["/app", /^Loyalty & Rewards$/],
  ["/app/dashboard", /^Dashboard$/],
  ["/app/members", /^Members$/],
  ["/app/members/:member", /\w/],
  ["/app/campaigns", /^Reward campaigns$/],
  ["/app/claim-codes", /^Claim codes$/],
  // Shopify admin's customer link without a customer: a page that says so, not an error.
  ["/app/customers", /^Customer loyalty$/],
  ["/app/settings", /^Program settings$/],
  ["/app/settings/earning", /^Earning rules$/],
  ["/app/settings/bonuses", /^Bonuses & birthdays$/],
  ["/app/settings/expiry", /^Points expiry$/],
  ["/app/settings/pending", /^Pending period$/],
  ["/app/settings/tiers", /^VIP tiers$/],
  ["/app/settings/rewards", /^Rewards$/],
  ["/app/settings/referrals", /^Referrals$/],
  ["/app/settings/store-credit", /^Store credit cashback$/],
  ["/app/klaviyo", /^Klaviyo$/],
  ["/app/omnisend", /^Omnisend$/],
  ["/app/flow", /^Shopify Flow$/],
  ["/app/import-export", /^Import and export$/],
  ["/app/store-credit", /^Store credit to review$/],
];

async function memberId(): Promise<string> {
  const { default: prisma } = await import("~/db.server");
  const member = await prisma.member.findFirstOrThrow({
    where: { shop: { domain: fixture.sandbox().shopify.store.shop.domain } },
    orderBy: { createdAt: "asc" },
  });
  return member.id;
}

async function appFrame(page: Page): Promise<Frame> {
  const element = await page.locator('iframe[name="app-iframe"]').elementHandle();
  const frame = await element?.contentFrame();
  if (!frame) throw new Error("Shopify admin shows no app frame");
  return frame;
}

/** The app in the frame shows `heading` as its page title, and its document did not fail. */
async function expectPage(frame: Frame, heading: RegExp) {
  await frame.getByRole("heading", { level: 1, name: heading }).first().waitFor();
  expect(await frame.getByText(/Application Error|Unexpected Server Error/).count()).toBe(0);
}

describe("every admin page survives a reload", () => {
  it("inside Shopify admin: after moving in the app, a reload reopens the same page", async () => {
    const page = await newPage(fixture.browser());
    const documentStatuses: number[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "document")
        documentStatuses.push(response.status());
    });
    const member = await memberId();
    await page.goto(fixture.sandbox().shopifyAdminUrl, { waitUntil: "networkidle" });
    await expectPage(await appFrame(page), /Loyalty & Rewards/);

    for (const [pattern, heading] of ADMIN_PAGES) {
      const path = pattern.replace(":member", member);
      // In-app navigation, as a <Link> click does it: the router, no document load.
      await (
        await appFrame(page)
      ).evaluate(
        (to) =>
          (
            window as unknown as { __remixRouter: { navigate(to: string): void } }
          ).__remixRouter.navigate(to),
        path,
      );
      await expectPage(await appFrame(page), heading);
      await expect
        .poll(() => new URL(page.url()).pathname)
        .toBe(new URL(fixture.sandbox().shopifyAdminUrl).pathname + path);
      await page.reload({ waitUntil: "networkidle" });
      await expectPage(await appFrame(page), heading);
      expect(new URL((await appFrame(page)).url()).pathname).toBe(path);
      expect(await seriousAxeViolations(await appFrame(page)), path).toEqual([]);
    }
    expect(documentStatuses.filter((status) => status >= 500)).toEqual([]);
  });

  it("opened with no query string: the login form, which leads to the app in Shopify admin", async () => {
    const page = await newPage(fixture.browser());
    const member = await memberId();
    for (const [pattern] of ADMIN_PAGES) {
      const response = await page.goto(
        fixture.sandbox().appUrl + pattern.replace(":member", member),
      );
      expect(response?.status(), pattern).toBeLessThan(500);
      await page.getByLabel("Shop domain").waitFor();
      expect(new URL(page.url()).pathname).toBe("/auth/login");
    }
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Open in Shopify admin" }).click();
    await page.getByText("Enter your shop's domain.").waitFor();
    await page.getByLabel("Shop domain").fill("not a shop!");
    await page.getByRole("button", { name: "Open in Shopify admin" }).click();
    await page.getByText(/ends in \.myshopify\.com/).waitFor();

    await page.getByLabel("Shop domain").fill("sandbox-loyalty");
    await page.getByRole("button", { name: "Open in Shopify admin" }).click();
    await expect.poll(() => page.url()).toBe(fixture.sandbox().shopifyAdminUrl);
    await expectPage(await appFrame(page), /Loyalty & Rewards/);
  });

  it("speaks the staff member's admin language, French included, across navigations and saves", async () => {
    const page = await newPage(fixture.browser());
    await page.goto(`${fixture.sandbox().shopifyAdminUrl}?locale=fr`, { waitUntil: "networkidle" });
    const frame = await appFrame(page);
    await frame.getByText("Points en circulation").waitFor();
    expect(await frame.locator("html").getAttribute("lang")).toBe("fr");
    // In-app navigation (a data request without admin's locale) stays in French.
    await frame.evaluate(() =>
      (
        window as unknown as { __remixRouter: { navigate(to: string): void } }
      ).__remixRouter.navigate("/app/klaviyo"),
    );
    await frame.getByLabel("Clé API privée").fill("pk_short");
    await frame.getByRole("button", { name: "Connecter", exact: true }).click();
    // The server's answer to the form, in French too.
    await frame.getByText(/semble tronquée/).waitFor();
    expect(await frame.getByText(/[Ll]ooks cut short/).count()).toBe(0);
    expect(await seriousAxeViolations(frame)).toEqual([]);
    await page.screenshot({ path: path.resolve("docs/screenshots/admin-french-klaviyo.png") });
    // "Connect with Klaviyo": the popup reports a copy key, which the admin writes in French.
    const popupOpened = page.waitForEvent("popup");
    await frame.getByRole("button", { name: "Se connecter avec Klaviyo" }).click();
    const popup = await popupOpened;
    const closed = popup.waitForEvent("close");
    await popup.getByRole("button", { name: "Allow" }).click();
    await closed;
    await frame.getByText(/^Connecté à /).waitFor();
    expect(await frame.getByText(/Connected to/).count()).toBe(0);
    // Back to English: admin says so, the app follows.
    await page.goto(`${fixture.sandbox().shopifyAdminUrl}?locale=en`, { waitUntil: "networkidle" });
    await (await appFrame(page)).getByText("Points outstanding").waitFor();
  });

  it("tells the home page's activity as a story in the shop's time zone", async () => {
    const { shopify } = fixture.sandbox();
    const customer = [...shopify.store.customers.values()].find((c) => c.first_name === "Grace")!;
    const response = await fetch(`${shopify.url}/store/api/actions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action: "place-order", customerId: customer.id, amount: "42.00" }),
    });
    expect(response.ok).toBe(true);
    const { default: prisma } = await import("~/db.server");
    await expect
      .poll(() =>
        prisma.webhookDelivery.count({
          where: { topic: "ORDERS_PAID", processedAt: { not: null } },
        }),
      )
      .toBeGreaterThan(0);
    const paid = await prisma.webhookDelivery.findFirstOrThrow({
      where: { topic: "ORDERS_PAID" },
      orderBy: { receivedAt: "desc" },
    });
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app");
    const row = page.getByRole("row").filter({ hasText: "Order paid · #" }).first();
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain("Grace Hopper");
    expect(text).toMatch(/\+\d+ points/);
    const newYork = new Intl.DateTimeFormat("en-US", {
      timeZone: "America/New_York",
      dateStyle: "medium",
      timeStyle: "short",
    }).format(paid.receivedAt);
    expect(text).toContain(newYork);
    expect(await page.getByText("When (America/New_York)").count()).toBe(1);
    expect(text).not.toContain("UTC");

    // The same story in French, dated as French writes dates (the app alone, as admin frames it).
    const home = await newPage(fixture.browser());
    await home.goto(`${fixture.sandbox().adminUrl}&locale=fr`, { waitUntil: "networkidle" });
    const french = home.getByRole("row").filter({ hasText: "Commande payée · #" }).first();
    await french.waitFor();
    const frenchText = await french.innerText();
    expect(frenchText).toContain("Grace Hopper");
    expect(frenchText).toMatch(/\+\d+ points/);
    expect(frenchText).toContain(
      new Intl.DateTimeFormat("fr-FR", {
        timeZone: "America/New_York",
        dateStyle: "medium",
        timeStyle: "short",
      }).format(paid.receivedAt),
    );
    await home.getByText("Date (America/New_York)").waitFor();
    await home.screenshot({
      path: path.resolve("docs/screenshots/admin-french-home.png"),
      fullPage: true,
    });
    // Back to English for whoever opens the admin next.
    await home.goto(`${fixture.sandbox().adminUrl}&locale=en`, { waitUntil: "networkidle" });
  });
});
