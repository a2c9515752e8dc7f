/**
 * Goals (issue #23, ADR 0073) as a merchant sets them: in Shopify admin (the stand-in frames the
 * app, so a reload is a real reload with a fresh session token), on Bonuses & birthdays, tried in
 * the page's simulator and read back on the storefront's rewards page.
 */
import type { FrameLocator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { appFrameShowing, latestProgram, openInShopifyAdmin } from "./admin-frame";
import { screenshotAndCheckA11y as shoot, seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

// The seeded program (1 point per $1, no goals); no members needed.
const fixture = sandboxPerFile(".data/e2e-goals", { history: "wait" });

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);

const goalRow = (app: FrameLocator, n: number) =>
  app.getByRole("list", { name: "Goals" }).getByRole("listitem").nth(n);
const saveBar = (app: FrameLocator) => app.locator("ui-save-bar");

async function savedGoals(): Promise<unknown> {
  const program = await latestProgram(fixture.sandbox());
  return { version: program.version, goals: (program.config as { goals: unknown }).goals };
}

/** The goals the first test saves, as the merchant typed them and as the program stores them. */
const SAVED_GOALS = [
  { id: "goal-1", kind: "order_count", count: 3, points: 100 },
  { id: "goal-2", kind: "spend", minor: 200_00, windowDays: 90, points: 250 },
];

async function expectSavedGoalsOnScreen(app: FrameLocator) {
  const third = goalRow(app, 0);
  expect(await third.getByLabel("Goal", { exact: true }).inputValue()).toBe("order_count");
  expect(await third.getByLabel("Order number").inputValue()).toBe("3");
  expect(await third.getByLabel("Bonus").inputValue()).toBe("100");
  const spend = goalRow(app, 1);
  expect(await spend.getByLabel("Goal", { exact: true }).inputValue()).toBe("spend");
  expect(await spend.getByLabel("Spend goal").inputValue()).toBe("200.00");
  expect(await spend.getByLabel("Within").inputValue()).toBe("90");
  expect(await spend.getByLabel("Bonus").inputValue()).toBe("250");
}

describe("goals on Bonuses & birthdays", { timeout: 120_000 }, () => {
  it("adds a 3rd-order goal and a spend goal, saves them, and a reload shows them as saved", async () => {
    const page = await newPage(fixture.browser());
    const app = await openInShopifyAdmin(page, fixture.sandbox());
    await app.getByText("No goals yet.").waitFor();

    await app.getByRole("button", { name: "Add goal" }).click();
    const third = goalRow(app, 0);
    await third.getByLabel("Order number").fill("3");
    await third.getByLabel("Bonus").fill("100");

    await app.getByRole("button", { name: "Add goal" }).click();
    const spend = goalRow(app, 1);
    await spend.getByLabel("Goal", { exact: true }).selectOption("spend");
    await spend.getByLabel("Spend goal").fill("200.00");
    await spend.getByLabel("Within").fill("90");
    await spend.getByLabel("Bonus").fill("250");

    await saveBar(app).getByRole("button", { name: "Save" }).click();
    await app.getByText(/^Saved as program version \d+\.$/).waitFor();
    await expect
      .poll(() => saveBar(app).evaluate((el) => el.hasAttribute("data-open")))
      .toBe(false);
    expect(((await savedGoals()) as { goals: unknown }).goals).toEqual(SAVED_GOALS);

    await page.reload({ waitUntil: "networkidle" });
    await expectSavedGoalsOnScreen(await appFrameShowing(page));
  });

  it("shows a bad order number or a blank spend next to the field and saves nothing", async () => {
    const before = await savedGoals();
    const page = await newPage(fixture.browser());
    const app = await openInShopifyAdmin(page, fixture.sandbox());

    const count = goalRow(app, 0).getByLabel("Order number");
    await count.fill("0");
    await goalRow(app, 0).getByText("Choose an order number from 2 to 100").waitFor();
    expect(await count.getAttribute("aria-invalid")).toBe("true");
    const minor = goalRow(app, 1).getByLabel("Spend goal");
    await minor.fill("");
    await goalRow(app, 1)
      .getByText("Enter a spend goal above zero and at most 1 billion")
      .waitFor();
    expect(await minor.getAttribute("aria-invalid")).toBe("true");

    await saveBar(app).getByRole("button", { name: "Save" }).click();
    await app.getByText("2 fields need a fix before saving").waitFor();
    await app.getByText("Fix the settings errors to see the result.").waitFor();
    const frame = page.frame({ name: "app-iframe" })!;
    expect(await seriousAxeViolations(frame)).toEqual([]);
    expect(await savedGoals()).toEqual(before);

    await page.reload({ waitUntil: "networkidle" });
    await expectSavedGoalsOnScreen(await appFrameShowing(page));
  });

  it("pays the goal bonuses in the simulator for the orders that reach them", async () => {
    const page = await newPage(fixture.browser());
    const app = await openInShopifyAdmin(page, fixture.sandbox());
    const dates = app.getByLabel(/^Order \d date$/);
    const amounts = app.getByLabel("Amount (USD)");
    // Three orders, the first long before the others: 230.00 in all, 80.00 within 90 days.
    const orders = [
      [daysAgo(200), "150.00"],
      [daysAgo(30), "60.00"],
      [daysAgo(10), "20.00"],
    ] as const;
    for (const [index, [day, amount]] of orders.entries()) {
      await dates.nth(index).fill(day);
      await amounts.nth(index).fill(amount);
      await app.getByLabel("Refunded (USD, optional)").nth(index).fill("");
      await app.getByLabel("Refund date").nth(index).fill("");
    }
    const steps = app.getByRole("list", { name: "What happens, in order" });
    await steps
      .getByText(`${daysAgo(10)}: order 3 reaches goal goal-1: 100 bonus points`)
      .waitFor();
    expect(await steps.getByText(/reaches goal goal-2: 250 bonus points/).count()).toBe(0);

    // 200.00 on the 2nd order reaches the spend goal within the window by itself.
    await amounts.nth(1).fill("200.00");
    await steps
      .getByText(`${daysAgo(30)}: order 2 reaches goal goal-2: 250 bonus points`)
      .waitFor();
    await steps
      .getByText(`${daysAgo(10)}: order 3 reaches goal goal-1: 100 bonus points`)
      .waitFor();
  });

  it("lists both goals in the ways to earn on the storefront's rewards page", async () => {
    const page = await newPage(fixture.browser());
    const rewardsPage = `${new URL(fixture.sandbox().storefrontUrl).origin}/pages/rewards?embed=0`;
    const waysToEarn = async () => {
      await page.goto(rewardsPage, { waitUntil: "networkidle" });
      return page.locator(".lw-page__list").first().locator("li").allInnerTexts();
    };
    // The program metafield is published after the save, by the outbox.
    await expect
      .poll(waysToEarn, { timeout: 30_000 })
      .toEqual(
        expect.arrayContaining([
          "100 points for your order number 3",
          "250 points for spending $200.00 within 90 days",
        ]),
      );

    // The README's picture of the page: the app alone, as admin frames it, with the saved goals.
    // The seed's member recompute, done a minute ago, is announced for 5 minutes; not in the picture.
    const { default: prisma } = await import("~/db.server");
    await prisma.recomputeRun.updateMany({
      data: { finishedAt: new Date(Date.now() - 3_600_000) },
    });
    await fixture.openAdmin(page, "/app/settings/bonuses");
    await page.getByRole("list", { name: "Goals" }).waitFor();
    await page
      .getByRole("list", { name: "What happens, in order" })
      .getByText(/reaches goal/)
      .first()
      .waitFor();
    await shoot(page, "admin-settings-bonuses");
  });
});
