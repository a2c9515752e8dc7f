import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotAndCheckA11y as shoot, seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

// A merchant who has just installed: no program saved, no tiers, no rewards.
// A merchant who has just installed: no program saved, the store's history not imported yet.
const fixture = sandboxPerFile(".data/e2e-settings", { seedProgram: false, history: "wait" });

const saveBar = (page: Page) => page.locator("ui-save-bar");
const save = (page: Page) => saveBar(page).getByRole("button", { name: "Save" }).click();

async function expectSaved(page: Page) {
  await page.getByText(/Saved as program version \d+\.|Saved\. Nothing changed\./).waitFor();
  await expect.poll(() => saveBar(page).evaluate((el) => el.hasAttribute("data-open"))).toBe(false);
}

describe("onboarding and program settings in the admin", { timeout: 180_000 }, () => {
  it("shows the first-run checklist with deep links, and it can be dismissed", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app");
    await page.getByRole("heading", { name: "Set up your loyalty program" }).waitFor();
    expect(await page.getByText("0 of 7 steps done").first().isVisible()).toBe(true);
    const theme = page.getByRole("link", { name: "Open the theme editor" });
    expect(await theme.getAttribute("href")).toMatch(
      /^https:\/\/[^/]+\/admin\/themes\/current\/editor\?context=apps&activateAppId=[^/]+\/loyalty-embed$/,
    );
    await shoot(page, "admin-onboarding");
    await page.getByRole("link", { name: "Set earning rules" }).click();
    await page.getByRole("heading", { name: "Earning rules" }).first().waitFor();
  });

  it("edits earning rules: an inline error blocks the save, the simulator follows the draft", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app/settings/earning");
    const field = page.getByLabel("Points per 1 USD spent");
    const summary = page.getByText(/^Balance on /);
    const before = await summary.innerText();

    await field.fill("abc");
    await page.getByText("Enter a number").waitFor();
    expect(await saveBar(page).evaluate((el) => el.hasAttribute("data-open"))).toBe(true);
    await save(page);
    await page.getByText("1 field needs a fix before saving").waitFor();
    await page.getByText("Fix the settings errors to see the result.").waitFor();

    await field.fill("3");
    await expect.poll(() => summary.innerText()).not.toBe(before);
    await page.getByText(/^With the saved settings:/).waitFor();
    await shoot(page, "admin-settings-earning");
    await save(page);
    await expectSaved(page);
    expect(await field.inputValue()).toBe("3");
  });

  it("excludes products and collections chosen in Shopify's resource picker, shown by title, never typed", async () => {
    const page = await newPage(fixture.browser());
    const { store } = fixture.sandbox().shopify;
    const sale = store.addCollection("Final sale");
    store.addCollection("Wrapping");
    await fixture.openAdmin(page, "/app/settings/earning");
    await page.getByText("Every product earns points.").waitFor();
    await page.getByText("Every collection earns points.").waitFor();
    // No free-text field is left for product or collection ids.
    expect(await page.getByLabel("Products that earn no points").count()).toBe(0);
    expect(await page.getByLabel("Collections that earn no points").count()).toBe(0);
    expect(await page.getByRole("textbox", { name: /ID/ }).count()).toBe(0);
    await page.getByRole("button", { name: "Choose products" }).click();
    const picker = page.getByRole("dialog", { name: "Select products" });
    await picker.waitFor();
    const product = [...store.products.values()][0]!;
    await picker.getByLabel("Search products").fill(product.title);
    await picker.getByLabel(product.title).first().check();
    await picker.getByRole("button", { name: "Select" }).click();
    const excluded = page.getByRole("list", { name: "Products that earn no points" });
    await excluded.getByText(product.title).waitFor();

    await page.getByRole("button", { name: "Choose collections" }).click();
    const collectionPicker = page.getByRole("dialog", { name: "Select collections" });
    await collectionPicker.waitFor();
    await collectionPicker.getByLabel("Search collections").fill("sale");
    await collectionPicker.getByLabel("Final sale").check();
    await collectionPicker.getByRole("button", { name: "Select" }).click();
    const excludedCollections = page.getByRole("list", { name: "Collections that earn no points" });
    await excludedCollections.getByText("Final sale").waitFor();
    expect(await excludedCollections.getByText("Wrapping").count()).toBe(0);
    await save(page);
    await expectSaved(page);

    // Opened afresh, each is named by title from Shopify; the config holds their ids.
    await fixture.openAdmin(page, "/app/settings/earning");
    await excluded.getByText(product.title).waitFor();
    await excludedCollections.getByText("Final sale").waitFor();
    await shoot(page, "admin-settings-earning");
    const { default: prisma } = await import("~/db.server");
    const program = await prisma.programVersion.findFirstOrThrow({
      where: { shop: { domain: fixture.sandbox().shopify.store.shop.domain } },
      orderBy: { version: "desc" },
    });
    const earning = (
      program.config as {
        earning: { excludedProductIds: string[]; excludedCollectionIds: string[] };
      }
    ).earning;
    expect(earning.excludedProductIds).toEqual([String(product.id)]);
    expect(earning.excludedCollectionIds).toEqual([String(sale.id)]);
    await page.getByRole("button", { name: `Remove ${product.title}` }).click();
    await page.getByText("Every product earns points.").waitFor();
    await page.getByRole("button", { name: "Remove Final sale" }).click();
    await page.getByText("Every collection earns points.").waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("edits bonuses, pending period and referrals", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app/settings/bonuses");
    await page.getByLabel("Birthday bonus").fill("-5");
    await page.getByText("Enter 0 or more").waitFor();
    await page.getByLabel("Birthday bonus").fill("250");
    await save(page);
    await expectSaved(page);
    // The page's README picture is taken by goals-admin.test.ts, with goals set.
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole("link", { name: "Pending period" }).click();
    await page.getByLabel("Days points are held").fill("400");
    await page.getByText("Enter 365 or less").waitFor();
    await save(page);
    await page.getByText("1 field needs a fix before saving").waitFor();
    await page.getByLabel("Days points are held").fill("14");
    await save(page);
    await expectSaved(page);
    await page
      .getByText(/spendable from \d{4}-\d{2}-\d{2}/)
      .first()
      .waitFor();
    await shoot(page, "admin-settings-pending");

    await page.getByRole("link", { name: "Referrals" }).click();
    await page.getByLabel("Referral program on").check();
    await page.getByLabel("Points for the member who referred").fill("1.5");
    await save(page);
    await page.getByText("1 field needs a fix before saving").waitFor();
    await page.getByLabel("Points for the member who referred").fill("150");
    await save(page);
    await page.getByText("Referral program saved").waitFor();
    await page.getByRole("heading", { name: "Refused referral claims" }).waitFor();
    await shoot(page, "admin-settings-referrals");
  });

  it("edits store credit cashback: an out-of-range rate blocks the save, the saved rate stays", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app/settings");
    await page.getByRole("link", { name: "Store credit cashback" }).waitFor();
    await shoot(page, "admin-settings");
    await page.getByRole("link", { name: "Store credit cashback" }).click();
    await page.getByRole("heading", { name: "Store credit cashback" }).first().waitFor();

    await page.getByLabel("Give cashback as store credit").check();
    const rate = page.getByLabel("Cashback rate");
    await rate.fill("20000");
    await page.getByText("Enter 10,000 or less").waitFor();
    await save(page);
    await page.getByText("1 field needs a fix before saving").waitFor();

    await rate.fill("500");
    await page.getByLabel("Minimum eligible amount").fill("25.00");
    await page.getByLabel("Credit expires after").fill("365");
    await expect.poll(() => page.getByText("Enter 10,000 or less").count()).toBe(0);
    // The sample orders (120.00, 80.00 with 20.00 refunded, 250.00) at 5 %: 22.50 less 1.00.
    await page.getByText("Store credit cashback: 21.50 USD (after refunds).").waitFor();
    await save(page);
    await expectSaved(page);
    await shoot(page, "admin-settings-store-credit");

    // Opened afresh (a reload would resend the page's expired id_token).
    await fixture.openAdmin(page, "/app/settings/store-credit");
    expect(await page.getByLabel("Give cashback as store credit").isChecked()).toBe(true);
    expect(await rate.inputValue()).toBe("500");
    expect(await page.getByLabel("Minimum eligible amount").inputValue()).toBe("25.00");
    const { default: prisma } = await import("~/db.server");
    const program = await prisma.programVersion.findFirstOrThrow({
      where: { shop: { domain: fixture.sandbox().shopify.store.shop.domain } },
      orderBy: { version: "desc" },
    });
    expect((program.config as { storeCredit: unknown }).storeCredit).toEqual({
      enabled: true,
      cashbackBasisPoints: 500,
      minOrderMinor: 2500,
      expiryDays: 365,
      reminderDaysBefore: 0,
    });
  });

  it("shows the store credit review page, empty on a new shop", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app/store-credit");
    await page.getByText("Nothing to review").waitFor();
    await shoot(page, "admin-store-credit-review");
  });

  it("edits expiry: a server-checked rule shows inline, the recompute count, then its progress", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app/settings/expiry");
    // Polaris hides the radio input itself; a person clicks its label.
    await page.getByText("A fixed time after they are earned").click();
    await page.getByLabel("Days until points expire").fill("30");
    await page.getByLabel("Remind this many days before").fill("40");
    await page.getByText("The reminder must come before the expiry").waitFor();
    await page.getByLabel("Remind this many days before").fill("7");
    await page
      .getByText(/This change to tiers or expiry recomputes all \d+ active members/)
      .waitFor();
    await save(page);
    await expectSaved(page);
    await page
      .getByText(/Done: \d+ members? checked again under the new settings\./)
      .waitFor({ timeout: 30_000 });
    await shoot(page, "admin-settings-expiry");
  });

  it("edits the VIP tier table: add, order error, reorder, save and recompute", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app/settings/tiers");
    await page.getByRole("button", { name: "Add tier" }).click();
    await page.getByRole("button", { name: "Add tier" }).click();
    await page.getByLabel("Name").nth(0).fill("Gold");
    await page.getByLabel("ID").nth(0).fill("gold");
    await page.getByLabel("Lifetime points to enter").nth(0).fill("2000");
    await page.getByLabel("Points multiplier").nth(0).fill("2");
    await page.getByLabel("Name").nth(1).fill("Silver");
    await page.getByLabel("ID").nth(1).fill("silver");
    await page.getByLabel("Lifetime points to enter").nth(1).fill("300");
    await page.getByText("Must be higher than the threshold of Gold, the tier before it").waitFor();
    await page.getByRole("button", { name: "Move up: tier 2 (Silver)" }).click();
    await expect.poll(() => page.getByText(/Must be higher than the threshold/).count()).toBe(0);
    await page.getByLabel("Entry bonus").nth(0).fill("100");
    await page
      .getByText(/reaching Silver/)
      .first()
      .waitFor();
    await shoot(page, "admin-settings-tiers");
    await save(page);
    await expectSaved(page);
    await page
      .getByText(
        /Done: \d+ members? checked again.* \d+ changed tier; the others \(\d+\) already had/,
      )
      .waitFor({ timeout: 30_000 });
    // Announced once: a recompute that finished long ago is not shown on every settings page.
    const { default: prisma } = await import("~/db.server");
    await prisma.recomputeRun.updateMany({
      data: { finishedAt: new Date(Date.now() - 3_600_000) },
    });
    await fixture.openAdmin(page, "/app/settings/earning");
    await page.getByRole("heading", { name: "Earning rules" }).first().waitFor();
    expect(await page.getByText(/Member recompute for version/).count()).toBe(0);
    await fixture.openAdmin(page, "/app/settings/tiers");

    // Switching to spend asks for new thresholds: 300 points never become $3.00.
    const measure = page.getByLabel("Members reach tiers by");
    await measure.selectOption("spend_365d");
    await page.getByText("Enter new thresholds").waitFor();
    const spendFields = page.getByLabel(/Spend to enter/);
    expect(await spendFields.nth(0).inputValue()).toBe("");
    expect(await spendFields.nth(1).inputValue()).toBe("");
    await save(page);
    await page.getByText(/\d+ fields need a fix before saving/).waitFor();
    // Switching back brings the saved thresholds back as they were.
    await measure.selectOption("lifetime_points");
    expect(await page.getByLabel("Lifetime points to enter").nth(0).inputValue()).toBe("300");
    expect(await page.getByLabel("Lifetime points to enter").nth(1).inputValue()).toBe("2000");
    expect(await page.getByText("Enter new thresholds").count()).toBe(0);
  });

  it("creates, edits and turns off a reward", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app/settings/rewards");
    await page.getByText("No rewards yet").waitFor();
    await shoot(page, "admin-settings-rewards-empty");
    await page.getByLabel("Kind of reward").selectOption("percentage");
    await page.getByRole("link", { name: "Create reward" }).click();
    await page.getByRole("heading", { name: "New reward" }).first().waitFor();
    // Nothing of a new reward is saved yet, and the page says so (not "All changes are saved").
    await page.getByText("This reward is not saved yet").waitFor();
    expect(await page.getByText("All changes are saved").count()).toBe(0);
    await page.getByLabel("Percentage off").last().fill("150");
    await save(page);
    await page.getByText("2 fields need a fix before saving").waitFor();
    // The empty name is named in the merchant's words, never the validator's.
    await page.getByText("This field is required").first().waitFor();
    expect(await page.getByText(/Too small|expected string/).count()).toBe(0);
    await page.getByLabel("Name").fill("10% off");
    await page.getByLabel("Percentage off").last().fill("10");
    // Tiers are chosen from the program's own (saved in the test above), never typed.
    await page.getByRole("checkbox", { name: "Gold" }).check();
    await save(page);
    await page.getByRole("heading", { name: "Edit 10% off" }).first().waitFor();
    const { default: prisma } = await import("~/db.server");
    const saved = (await prisma.reward.findMany()).find(
      (row) => (row.definition as { name: string }).name === "10% off",
    );
    expect((saved?.definition as { eligibleTierIds: string[] }).eligibleTierIds).toEqual(["gold"]);
    await shoot(page, "admin-settings-reward");
    await page
      .getByRole("navigation", { name: "Settings sections" })
      .getByRole("link", { name: "Rewards" })
      .click();
    await page.getByRole("button", { name: "Turn off 10% off" }).click();
    await page.getByText("Reward turned off").waitFor();
    await shoot(page, "admin-settings-rewards");

    await fixture.openAdmin(page, "/app");
    // The checklist reads the catalog: no enabled reward, not done; turned on again, done.
    const rewardsItem = page
      .getByRole("listitem")
      .filter({ hasText: "Create at least one reward" });
    await rewardsItem.getByText("To do").waitFor();
    await fixture.openAdmin(page, "/app/settings/rewards");
    await page.getByRole("button", { name: "Turn on 10% off" }).click();
    await page.getByText("Reward turned on").waitFor();
    await fixture.openAdmin(page, "/app");
    await rewardsItem.getByText("Done").waitFor();
    // The steps walked in this file (saved program, tiers, a reward) are the ones the list ticks.
    for (const step of ["Program basics", "VIP tiers"]) {
      const item = page.getByRole("listitem").filter({ hasText: step });
      expect(await item.getByText("Done", { exact: true }).isVisible()).toBe(true);
    }
    expect(await page.getByText("3 of 7 steps done").first().isVisible()).toBe(true);
    await page.getByRole("button", { name: "Dismiss" }).click();
    await page.getByRole("button", { name: "Show the setup checklist" }).waitFor();
  });
});
