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
});
