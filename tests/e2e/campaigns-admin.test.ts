import { describe, expect, it } from "vitest";
import { screenshotAndCheckA11y, seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

const fixture = sandboxPerFile(".data/e2e-campaigns");

describe("reward campaigns in the admin", { timeout: 180_000 }, () => {
  it("previews a segment, creates a campaign, follows it to the end; a failed grant is retried once", async () => {
    const page = await newPage(fixture.browser());
    const failed: string[] = [];
    page.on("requestfailed", (request) => {
      // The test reloads the page while the table refreshes itself: a reload cancels the refresh
      // in flight (net::ERR_ABORTED), which is the browser's doing, not a request that failed.
      if (request.failure()?.errorText !== "net::ERR_ABORTED") failed.push(request.url());
    });
    await fixture.openMembersOnceSeeded(page, 60_000);
    await fixture.openAdmin(page, "/app/campaigns");
    await page.getByRole("heading", { name: "No campaigns yet" }).waitFor();

    // A maximum below the minimum is a field error, and nothing can be confirmed yet.
    await page.getByLabel("Campaign name").fill("Spring thank-you");
    await page.getByLabel("Reward", { exact: true }).selectOption({ label: "$5 off" });
    await page.getByLabel("Points balance at least").fill("500");
    await page.getByLabel("Points balance at most").fill("100");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByText("Enter a number at least the minimum").waitFor();
    expect(await page.getByRole("button", { name: /^Give the reward to/ }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Every member: the preview counts them, the button names the count.
    await page.getByLabel("Points balance at least").fill("");
    await page.getByLabel("Points balance at most").fill("");
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByText(/^Preview: \d+ members match\.$/);
    await preview.waitFor();
    const matching = Number(/(\d+)/.exec(await preview.innerText())![1]);
    expect(matching).toBeGreaterThan(0);
    await page.getByRole("button", { name: `Give the reward to ${matching} members` }).click();
    await page.getByText("Campaign created.", { exact: false }).waitFor();

    // The table refreshes itself while the job issues the rewards.
    const row = page.getByRole("row", { name: /Spring thank-you/ });
    await row.getByText("Done").waitFor({ timeout: 60_000 });
    const cells = await row.getByRole("cell").allInnerTexts();
    const header = await page.getByRole("table").first().getByRole("columnheader").allInnerTexts();
    const cell = (name: string) => cells[header.findIndex((h) => h.trim() === name) - 1];
    expect(cell("Matched")).toBe(String(matching));
    expect(cell("Issued")).toBe(String(matching));
    expect(cell("Pending")).toBe("0");
    await page.getByText("Every granted reward was issued.").waitFor();

    // A second campaign while Shopify refuses the first code: that grant fails, with the reason.
    fixture
      .sandbox()
      .shopify.store.adminApi.injectFault({ field: "discountCodeBasicCreate", kind: "userErrors" });
    await page.getByLabel("Campaign name").fill("Second thank-you");
    await page.getByLabel("Reward", { exact: true }).selectOption({ label: "$5 off" });
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByRole("button", { name: `Give the reward to ${matching} members` }).click();
    const second = page.getByRole("row", { name: /Second thank-you/ });
    await second.getByText("Done").waitFor({ timeout: 60_000 });
    const failedRow = page.getByRole("row", { name: /Campaign: Second thank-you/ });
    await failedRow.waitFor();
    // The merchant reads Shopify's own words, not the shopper's "your points were returned".
    expect(await failedRow.innerText()).toMatch(/Shopify refused: .*Injected failure/);
    expect(await failedRow.getByRole("link").getAttribute("href")).toMatch(
      /^\/app\/members\/[0-9a-f-]{36}/,
    );
    await screenshotAndCheckA11y(page, "admin-campaigns");

    // Retry: issued once, the list empties, the campaign counts every member issued.
    await failedRow.getByRole("button", { name: /^Retry the \$5 off reward for / }).click();
    await page.getByText("The grant is queued again", { exact: false }).waitFor();
    // Back to pending at once (so off the list), then issued by the job: the campaign's count says.
    const secondCell = async (name: string) => {
      const cells = await page
        .getByRole("row", { name: /Second thank-you/ })
        .getByRole("cell")
        .allInnerTexts();
      return cells[header.findIndex((h) => h.trim() === name) - 1];
    };
    await expect
      .poll(
        async () => {
          await page.reload({ waitUntil: "networkidle" });
          return secondCell("Issued");
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(String(matching));
    expect(await secondCell("Failed")).toBe("0");
    expect(await secondCell("Pending")).toBe("0");
    await page.getByText("Every granted reward was issued.").waitFor();
    expect(failed.filter((url) => !url.startsWith("https://cdn.shopify.com/"))).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
