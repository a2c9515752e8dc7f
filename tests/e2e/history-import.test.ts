import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { screenshotAndCheckA11y } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

// Issue 18 "Done when": the sandbox store has history before install (customers, a year of
// orders, store credit, a customer without email, an order in euros), and the first-run
// checklist's import brings it in with a visible progress bar.
const fixture = sandboxPerFile(".data/e2e-history", { history: "wait" });

describe("a merchant's first day: bringing in the store's history", { timeout: 240_000 }, () => {
  it("starts the import from the checklist, watches it progress, reads what came in", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app");
    await page.getByRole("heading", { name: "Set up your loyalty program" }).waitFor();
    // Nobody is a member yet: the store's customers are only in Shopify.
    await page.getByRole("link", { name: "Import history" }).click();
    await page.getByRole("heading", { name: "Bring in your store's history" }).waitFor();
    await screenshotAndCheckA11y(page, "admin-history-choices");

    await page.getByLabel("Points for past orders").selectOption("365");
    expect(await page.getByLabel("Import Shopify store credit balances").isChecked()).toBe(true);
    expect(await page.getByLabel(/Also send the past to Shopify Flow/).isChecked()).toBe(false);
    await page.getByRole("button", { name: "Start import" }).click();
    await page.getByText(/The import started/).waitFor();
    // Under way: the bar and the stop button, until it is done (the page reloads itself).
    await page.getByRole("progressbar").first().waitFor();
    await page.getByRole("button", { name: "Stop import" }).waitFor();
    await page.screenshot({ path: "docs/screenshots/admin-history-progress.png", fullPage: true });

    await page.getByText("done", { exact: true }).first().waitFor({ timeout: 60_000 });
    // Eight customers with email and Linus (a phone only); Alan's euro order and the guest's
    // are not counted.
    await page.getByText(/^9 customers · \d+ orders · [\d,]+ points awarded$/).waitFor();
    const counts = await page.getByText(/^9 customers/).innerText();
    expect(Number(counts.split(" · ")[2]!.replace(/\D/g, ""))).toBeGreaterThan(0);
    await page.getByText(/^Placed in tiers: /).waitFor();
    await page.getByText("2 lines not imported").waitFor();
    await page.getByRole("cell", { name: "no email", exact: true }).waitFor();
    await page.getByRole("cell", { name: "other currency", exact: true }).waitFor();
    await screenshotAndCheckA11y(page, "admin-history-done");

    // The report, as the button downloads it.
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download report (CSV)" }).click();
    const file = await download;
    const report = fs.readFileSync(await file.path(), "utf8");
    expect(report.split("\r\n")[0]).toBe("file,line,problem,detail");
    expect(report).toContain("other_currency");
    expect(report).toContain("no_email");

    // The members are there, with their points and tiers, and the checklist step is done.
    await fixture.openMembersOnceSeeded(page, 5_000);
    await fixture.openAdmin(page, "/app");
    const step = page.getByRole("listitem").filter({ hasText: "Bring in your store's history" });
    await step.getByText("Done", { exact: true }).waitFor();
  });
});
