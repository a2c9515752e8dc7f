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

    // A customer known only by phone is found by their number, typed as people type it.
    const byPhone = [...fixture.sandbox().shopify.store.customers.values()].find(
      (c) => c.phone && !c.email,
    )!;
    const digits = byPhone.phone!.replace(/\D/g, "").slice(-10);
    const typed = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
    await page.getByPlaceholder("Email, name, phone or customer ID").fill(typed);
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.getByRole("link", { name: "Grace Hopper" }).count()).toBe(0);
    expect(await page.getByRole("row").count()).toBe(2);

    await page.getByPlaceholder("Email, name, phone or customer ID").fill("hopper");
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

    // Points typed as people type them; a typo of a few zeros is refused in plain words.
    await page.getByLabel("Points (negative to subtract)").fill("1,000,000,000");
    await page.getByLabel("Note (required)").fill("typo");
    await page.getByRole("button", { name: "Adjust points" }).click();
    await page.getByText("Adjust at most 1,000,000 points at a time").waitFor();
    await page.getByLabel("Points (negative to subtract)").fill("−10");
    const longNote =
      "Goodwill after a delayed parcel, agreed on the phone with the customer ".repeat(4);
    await page.getByLabel("Note (required)").fill(longNote.trim());
    await page.getByRole("button", { name: "Adjust points" }).click();
    await page.getByText(/Points adjusted by [−-]10\./).waitFor();
    // A long note wraps: the Balance column stays inside the page.
    const balanceHeader = await page.getByRole("columnheader", { name: "Balance" }).boundingBox();
    expect(balanceHeader!.x + balanceHeader!.width).toBeLessThanOrEqual(1280);

    // Staff redeem a reward for the member through the storefront's all-or-nothing path.
    await page.getByRole("button", { name: "Redeem with the member's points" }).click();
    await page.getByText(/ issued for [\d,]+ points\. Code: \S+/).waitFor();
    // The reward is listed as unused; staff can void it and the points come back.
    await page
      .getByRole("button", { name: /^Void .+ and return [\d,]+ points$/ })
      .first()
      .click();
    await page
      .getByText(/^Reward voided: its code no longer works, and [\d,]+ points were returned\.$/)
      .waitFor();
    await page.getByText("voided", { exact: true }).first().waitFor();

    expect(failed.filter((url) => !url.startsWith("https://cdn.shopify.com/"))).toEqual([]);
    await screenshotAndCheckA11y(page, "admin-member");
  });

  it("refuses a birthday in the future and a keep-tier date already past, saying why", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openMembersOnceSeeded(page);
    await page.getByRole("link", { name: "Ada Lovelace" }).click();
    await page.getByRole("heading", { name: "Points history" }).waitFor();
    // The menu offers only what the shop uses: no store credit given, no review page.
    expect(await page.getByRole("link", { name: "Store credit review" }).count()).toBe(0);

    await page.getByLabel("Month").selectOption("5");
    await page.getByLabel("Day").fill("4");
    await page.getByLabel("Year (optional)").fill("2030");
    await page.getByRole("button", { name: "Save birthday" }).click();
    await page.getByText("This birthday is in the future: check the year").waitFor();
    await page.getByLabel("Keep at least this tier through (optional)").fill("2020-01-31");
    await page.getByRole("button", { name: "Set tier" }).click();
    await page
      .getByText("Choose a day after today: the member keeps the tier through that day")
      .waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    const { default: prisma } = await import("~/db.server");
    const ada = await prisma.member.findFirstOrThrow({
      where: { email: "ada.lovelace@example.com" },
    });
    expect(ada.birthYear).not.toBe(2030);
    expect(ada.tierLockedUntil).toBeNull();
  });

  it("issues store credit at Shopify from the member page, in the shop's currency", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openMembersOnceSeeded(page);
    await page.getByRole("link", { name: "Ada Lovelace" }).click();
    await page.getByRole("heading", { name: "Store credit" }).waitFor();
    await page.getByLabel("Amount (USD)").fill("1.234");
    await page.getByLabel("Reason").fill("Late delivery");
    await page.getByRole("button", { name: "Send to Shopify" }).click();
    await page
      .getByText("Enter an amount above 0 in the shop's currency, e.g. 10 or 12.50.")
      .waitFor();
    await page.getByLabel("Amount (USD)").fill("12.5");
    await page.getByLabel("Reason").fill("Late delivery");
    await page.getByRole("button", { name: "Send to Shopify" }).click();
    await page
      .getByText("$12.50 of store credit is on its way to the customer's Shopify account.")
      .waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("in French, refuses a debit beyond the balance in French and keeps every ledger column in view beside a long note", async () => {
    const page = await newPage(fixture.browser());
    // Narrower than the other tests: Shopify admin's sidebar leaves the app about 1,000 pixels.
    await page.setViewportSize({ width: 1024, height: 900 });
    await fixture.openMembersOnceSeeded(page);
    const { default: prisma } = await import("~/db.server");
    const grace = await prisma.member.findFirstOrThrow({
      where: { email: "grace.hopper@example.com" },
    });
    // Shopify admin opens the app in French; the member page is then reached inside the app.
    await page.goto(`${fixture.sandbox().adminUrl}&locale=fr`, { waitUntil: "networkidle" });
    await expect.poll(() => page.url()).toContain("id_token=");
    const url = new URL(page.url());
    url.pathname = `/app/members/${grace.id}`;
    await page.goto(url.toString(), { waitUntil: "networkidle" });
    await page.getByRole("heading", { name: "Historique des points" }).waitFor();

    const available = grace.pointsBalance;
    await page.getByLabel("Points (négatif pour retirer)").fill(String(-(available + 1000)));
    await page.getByLabel("Note (obligatoire)").fill("erreur de saisie");
    await page.getByRole("button", { name: "Ajuster les points" }).click();
    await page
      .getByText(
        /^Le membre a [\d\s\u202f]+ points disponibles\s: vous pouvez en retirer au plus autant/,
      )
      .waitFor();
    expect(await page.getByText(/cannot be subtracted|The member has/).count()).toBe(0);

    const longNote =
      "Geste commercial après un colis retardé, convenu au téléphone avec la cliente ".repeat(4);
    await page.getByLabel("Points (négatif pour retirer)").fill("5");
    await page.getByLabel("Note (obligatoire)").fill(longNote.trim());
    await page.getByRole("button", { name: "Ajuster les points" }).click();
    await page
      .getByRole("cell", { name: /Geste commercial après un colis retardé/ })
      .first()
      .waitFor();
    // Every column of the history is in view: the table's scroll box needs no scrolling, lies
    // within the window, and holds each column's heading.
    const table = page
      .getByRole("table")
      .filter({ has: page.getByRole("columnheader", { name: "Solde" }) });
    const box = await table.evaluate((element) => {
      const scroller = element.parentElement!;
      const { left, right } = scroller.getBoundingClientRect();
      return { left, right, overflow: scroller.scrollWidth - scroller.clientWidth };
    });
    expect(box.overflow).toBeLessThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(1024);
    for (const name of ["Date", "Motif", "Commande", "Points", "Solde"]) {
      const header = (await table.getByRole("columnheader", { name, exact: true }).boundingBox())!;
      expect(header.x, name).toBeGreaterThanOrEqual(box.left);
      expect(header.x + header.width, name).toBeLessThanOrEqual(box.right + 0.5);
    }
    await screenshotAndCheckA11y(page, "admin-french-member");

    // Back to English for whoever opens the admin next.
    await page.goto(`${fixture.sandbox().adminUrl}&locale=en`, { waitUntil: "networkidle" });
  });
});
