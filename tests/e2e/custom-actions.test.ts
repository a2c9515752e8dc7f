/**
 * Custom actions (issue #23, ADR 0072) as a merchant prices them: in Shopify admin (the stand-in
 * frames the app, so a reload is a real reload with a fresh session token), on Bonuses &
 * birthdays, then read by a shopper in the widget's Ways to earn and on the rewards page.
 */
import type { FrameLocator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { appFrameShowing, latestProgram, openInShopifyAdmin } from "./admin-frame";
import { seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

// The seeded program (1 point per $1, no custom actions); no members needed.
const fixture = sandboxPerFile(".data/e2e-custom-actions", { history: "wait" });
const origin = () => new URL(fixture.sandbox().storefrontUrl).origin;

const actionRow = (app: FrameLocator, n: number) =>
  app.getByRole("list", { name: "Custom actions" }).getByRole("listitem").nth(n);
const saveBar = (app: FrameLocator) => app.locator("ui-save-bar");

async function savedCustomActions(): Promise<unknown> {
  const program = await latestProgram(fixture.sandbox());
  return (program.config as { customActions?: unknown }).customActions ?? [];
}

describe("custom actions on Bonuses & birthdays", { timeout: 120_000 }, () => {
  it("refuses a name already used (case aside) next to the field, saves the action, and a reload shows it", async () => {
    const page = await newPage(fixture.browser());
    const app = await openInShopifyAdmin(page, fixture.sandbox());
    await app.getByText("No custom actions yet.").waitFor();

    await app.getByRole("button", { name: "Add custom action" }).click();
    const review = actionRow(app, 0);
    await review.getByLabel("Name shown to shoppers").fill("Leave a product review");
    await review.getByLabel("Points", { exact: true }).fill("50");
    expect(await review.getByLabel("Limit period").isDisabled()).toBe(true);
    await review.getByLabel("Limit per member").fill("3");
    await review.getByLabel("Limit period").selectOption("month");

    await app.getByRole("button", { name: "Add custom action" }).click();
    const twin = actionRow(app, 1);
    const twinName = twin.getByLabel("Name shown to shoppers");
    await twinName.fill("leave a PRODUCT review");
    await twin
      .getByText(
        "Another custom action is already named “leave a PRODUCT review” (case and spaces do not matter)",
      )
      .waitFor();
    expect(await twinName.getAttribute("aria-invalid")).toBe("true");
    await saveBar(app).getByRole("button", { name: "Save" }).click();
    await app.getByText("1 field needs a fix before saving").waitFor();
    expect(await savedCustomActions()).toEqual([]);
    expect(await seriousAxeViolations(page.frame({ name: "app-iframe" })!)).toEqual([]);

    await twin.getByRole("button", { name: "Remove: custom action 2" }).click();
    await saveBar(app).getByRole("button", { name: "Save" }).click();
    await app.getByText(/^Saved as program version \d+\.$/).waitFor();
    expect(await savedCustomActions()).toEqual([
      { name: "Leave a product review", points: 50, limit: 3, period: "month" },
    ]);

    await page.reload({ waitUntil: "networkidle" });
    const reloaded = actionRow(await appFrameShowing(page), 0);
    expect(await reloaded.getByLabel("Name shown to shoppers").inputValue()).toBe(
      "Leave a product review",
    );
    expect(await reloaded.getByLabel("Points", { exact: true }).inputValue()).toBe("50");
    expect(await reloaded.getByLabel("Limit per member").inputValue()).toBe("3");
    expect(await reloaded.getByLabel("Limit period").inputValue()).toBe("month");
  });

  it("shows the action and its points in the widget's Ways to earn and on the rewards page", async () => {
    const page = await newPage(fixture.browser());
    await page.goto(`${origin()}/pages/rewards`, { waitUntil: "networkidle" });
    await page.locator(".lw-launcher").click();
    await page
      .locator("#lw-panel .lw-ways")
      .getByText("Leave a product review: 50 points", { exact: true })
      .waitFor();

    // The rewards page reads the program metafield, published after the save by the outbox.
    const waysOnPage = async () => {
      await page.goto(`${origin()}/pages/rewards?embed=0`, { waitUntil: "networkidle" });
      return page.locator(".lw-page__list").first().locator("li").allInnerTexts();
    };
    await expect
      .poll(waysOnPage, { timeout: 30_000 })
      .toContain("Leave a product review: 50 points");
  });
});
