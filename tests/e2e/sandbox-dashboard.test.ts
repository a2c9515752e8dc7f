import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotAndCheckA11y, seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

const fixture = sandboxPerFile(".data/e2e-dashboard");

/** The large number under a dashboard figure's label. */
async function figure(page: Page, label: string) {
  return page
    .getByRole("heading", { name: label, exact: true })
    .locator("xpath=following::p[1]")
    .innerText();
}

describe("dashboard in the admin", () => {
  it(
    "shows the seeded store's members and points with charts, changes period, refuses a bad range",
    { timeout: 400_000 },
    async () => {
      const page = await newPage(fixture.browser());
      // The seeded store's webhooks are still being processed by the in-process workers meanwhile.
      page.setDefaultNavigationTimeout(120_000);
      const failed: string[] = [];
      // A request the page's own navigation cancelled (net::ERR_ABORTED, e.g. the favicon while
      // the period changes) is not a failure of the app.
      page.on("requestfailed", (request) => {
        if (request.failure()?.errorText !== "net::ERR_ABORTED") failed.push(request.url());
      });
      // The seeded store's customers and orders become members and points as webhooks are processed.
      await expect
        .poll(
          async () => {
            await fixture.openAdmin(page, "/app/dashboard");
            return Number((await figure(page, "Points issued")).replace(/,/g, ""));
          },
          { timeout: 240_000, interval: 1_000 },
        )
        .toBeGreaterThan(0);
      expect(Number((await figure(page, "Members")).replace(/,/g, ""))).toBeGreaterThan(0);
      await page.getByRole("img", { name: /Points issued, redeemed and expired/ }).waitFor();
      await page.getByRole("list", { name: "Members by tier" }).waitFor();
      expect(await page.getByRole("link", { name: "Dashboard" }).count()).toBeGreaterThan(0);
      await screenshotAndCheckA11y(page, "admin-dashboard");

      // A preset applies on change.
      await page.getByLabel("Period").selectOption("12m");
      await expect.poll(() => page.url()).toContain("period=12m");
      await page.getByText(/\(365 days, shop time\)|\(366 days, shop time\)/).waitFor();

      // A custom range that ends before it starts is refused, and the default period is shown.
      await page.getByLabel("Period").selectOption("custom");
      await page.getByRole("textbox", { name: "From", exact: true }).fill("2026-11-20");
      await page.getByRole("textbox", { name: "To", exact: true }).fill("2026-11-01");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("The start date is after the end date.", { exact: false }).waitFor();
      await page.getByText(/\(30 days, shop time\)/).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(failed.filter((url) => !url.startsWith("https://cdn.shopify.com/"))).toEqual([]);
    },
  );
});
