import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotAndCheckA11y, seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

const fixture = sandboxPerFile(".data/e2e-flow");

async function openFlowPage(page: Page) {
  await fixture.openAdmin(page, "/app/flow");
  await page.getByRole("heading", { name: "Flow delivery" }).waitFor();
}

async function flowStates() {
  const { default: prisma } = await import("~/db.server");
  const rows = await prisma.eventDelivery.groupBy({
    by: ["state"],
    where: { destination: "flow" },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.state, r._count._all])) as Record<string, number>;
}

async function sendFlowAction() {
  const store = await newPage(fixture.browser());
  await store.goto(fixture.sandbox().storeUrl, { waitUntil: "networkidle" });
  await store.getByRole("button", { name: "Flow +100" }).first().click();
  await store.getByText(/Sent flow action loyalty-add-points → 200/).waitFor();
  await store.close();
}

describe("the Flow admin page", () => {
  it("turns Flow delivery off and on, and shows what was skipped and sent", async () => {
    const page = await newPage(fixture.browser());
    await openFlowPage(page);
    const triggersSent = () => fixture.sandbox().shopify.store.adminApi.flowTriggers.length;
    expect(await page.getByText("on", { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: "Points added" }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: "Add loyalty points" }).isVisible()).toBe(true);

    // WHEN the merchant turns delivery off and a workflow adds points
    await page.getByRole("button", { name: "Turn off" }).click();
    await page.getByText(/Flow delivery is off\./).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    const sentBefore = triggersSent();
    const skippedBefore = (await flowStates()).skipped ?? 0;
    await sendFlowAction();

    // THEN the new trigger is marked skipped and never reaches Flow
    await expect
      .poll(async () => (await flowStates()).skipped ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(skippedBefore);
    expect(triggersSent()).toBe(sentBefore);
    await page.reload({ waitUntil: "networkidle" });
    expect(await page.getByText("off", { exact: true }).isVisible()).toBe(true);

    // WHEN it is turned on again and the merchant sends the last day's skipped triggers
    await page.getByRole("button", { name: "Turn on" }).click();
    await page.getByText(/Flow delivery is on\./).waitFor();
    expect(triggersSent()).toBe(sentBefore);
    await page.getByRole("button", { name: /Send \d+ skipped from the last 24 h/ }).click();
    await page.getByText(/skipped triggers from the last 24 hours queued/).waitFor();

    // THEN they reach Flow and the page counts them as delivered
    await expect.poll(triggersSent, { timeout: 15_000 }).toBeGreaterThan(sentBefore);
    await expect.poll(async () => (await flowStates()).pending ?? 0, { timeout: 15_000 }).toBe(0);
    await page.reload({ waitUntil: "networkidle" });
    const delivered = (await flowStates()).delivered ?? 0;
    expect(delivered).toBeGreaterThan(0);
    expect(
      await page.getByText(delivered.toLocaleString("en"), { exact: true }).count(),
    ).toBeGreaterThan(0);
    expect(await page.getByText("Nothing is failing or retrying.").isVisible()).toBe(true);
    await screenshotAndCheckA11y(page, "admin-flow");
  });
});
