import { describe, expect, it } from "vitest";
import { screenshotAndCheckA11y, seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

const fixture = sandboxPerFile(".data/e2e-members");

describe("members in the admin", () => {
  it("searches members, opens one and adjusts their points with a note", async () => {
    const page = await newPage(fixture.browser());
    const failed: string[] = [];
    page.on("requestfailed", (request) => failed.push(request.url()));
    await fixture.openMembersOnceSeeded(page);
    expect(await page.getByRole("columnheader", { name: /Points/ }).count()).toBeGreaterThan(0);
    await screenshotAndCheckA11y(page, "admin-members");

    await page.getByPlaceholder("Email, name or customer ID").fill("hopper");
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.url()).toContain("q=hopper");
    await expect.poll(() => page.getByRole("link", { name: "Ada Lovelace" }).count()).toBe(0);
    await page.getByRole("link", { name: "Grace Hopper" }).click();

    await page.getByRole("heading", { name: "Points history" }).waitFor();
    const balance = Number(
      (await page.getByText("Points balance").locator("xpath=following::p[1]").innerText()).replace(
        /,/g,
        "",
      ),
    );
    // The note is required: without it nothing is posted and the field says why.
    await page.getByLabel("Points (negative to subtract)").fill("25");
    await page.getByRole("button", { name: "Adjust points" }).click();
    await page.getByText("A note is required: say why the points change").waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel("Note (required)").fill("Thanks for the product review");
    await page.getByRole("button", { name: "Adjust points" }).click();
    await page.getByText("Points adjusted by +25.").waitFor();
    await expect
      .poll(async () =>
        (
          await page.getByText("Points balance").locator("xpath=following::p[1]").innerText()
        ).replace(/,/g, ""),
      )
      .toBe(String(balance + 25));
    await page
      .getByRole("cell", { name: "Manual adjustment by staff: Thanks for the product review" })
      .waitFor();
    expect(await page.getByRole("cell", { name: "+25", exact: true }).count()).toBe(1);
    expect(failed.filter((url) => !url.startsWith("https://cdn.shopify.com/"))).toEqual([]);
    await screenshotAndCheckA11y(page, "admin-member");
  });
});
