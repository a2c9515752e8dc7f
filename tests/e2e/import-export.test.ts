import { describe, expect, it } from "vitest";
import { screenshotAndCheckA11y, seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

const fixture = sandboxPerFile(".data/e2e-import");

// Issue #8 "Done when": import a CSV with a bad line and see the report.
const FILE = [
  "email,points,birthday",
  "grace.hopper@example.com,250,1906-12-09",
  "alan.turing@example.com,ten,",
  "nobody@example.com,40,",
  "ada.lovelace@example.com,100,12-10",
].join("\n");

describe("import and export in the admin", () => {
  it("checks a CSV with bad lines, shows them by line, applies the rest with progress", async () => {
    const page = await newPage(fixture.browser());
    const failed: string[] = [];
    page.on("requestfailed", (request) => failed.push(request.url()));
    await fixture.openMembersOnceSeeded(page);
    await fixture.openAdmin(page, "/app/import-export");
    await page.getByRole("heading", { name: "Import from another loyalty app" }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Whether the file's points add to a balance or set it is the merchant's choice, asked.
    await page.getByRole("radio", { name: /Set each member's balance to them/ }).waitFor();
    expect(
      await page.getByRole("radio", { name: /Add them to each member's balance/ }).isChecked(),
    ).toBe(true);
    await page.getByLabel("CSV file").setInputFiles({
      name: "old-loyalty-app.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(FILE),
    });
    await page.getByRole("button", { name: "Check file" }).click();

    await page
      .getByText("old-loyalty-app.csv checked: 2 of 4 lines can be applied, 2 have problems")
      .waitFor();
    await page.getByRole("cell", { name: 'points "ten" is not a whole number' }).waitFor();
    await page.getByRole("cell", { name: "no member has the email nobody@example.com" }).waitFor();
    // The check previews each balance as it will change.
    await page
      .getByText("The file's points are added to each balance.", { exact: false })
      .waitFor();
    await page.getByRole("columnheader", { name: "After import" }).waitFor();
    const lineThree = page.getByRole("row").filter({ hasText: 'points "ten"' });
    expect((await lineThree.innerText()).split(/\s+/)[0]).toBe("3");
    await screenshotAndCheckA11y(page, "admin-import-report");

    await page.getByRole("button", { name: "Apply 2 lines" }).click();
    await page
      .getByText("2 of 2 lines processed: 2 applied, 0 already applied earlier")
      .waitFor({ timeout: 30_000 });
    // The file import's badge (the history import's, imported at start, is the first "done").
    await page.getByText("done", { exact: true }).last().waitFor();
    expect(failed.filter((url) => !url.startsWith("https://cdn.shopify.com/"))).toEqual([]);
    await screenshotAndCheckA11y(page, "admin-import-export");

    // The export has the imported balance: fetched the way the page's button fetches it.
    const csv = await page.evaluate(async () => (await fetch("/app/export/members")).text());
    expect(csv.split("\r\n")[0]).toMatch(/^customer_id,email,first_name/);
    expect(csv).toContain("grace.hopper@example.com");
  });

  it("reports a file's bad lines in the staff member's language (French)", async () => {
    const page = await newPage(fixture.browser());
    await page.goto(`${fixture.sandbox().adminUrl}&locale=fr`, { waitUntil: "networkidle" });
    await expect.poll(() => page.url()).toContain("id_token=");
    const url = new URL(page.url());
    url.pathname = "/app/import-export";
    await page.goto(url.toString(), { waitUntil: "networkidle" });
    await page.getByLabel("Fichier CSV").setInputFiles({
      name: "ancienne-app.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(FILE),
    });
    await page.getByRole("button", { name: "Vérifier le fichier" }).click();
    await page.getByRole("cell", { name: "points « ten » n’est pas un nombre entier" }).waitFor();
    await page
      .getByRole("cell", { name: "aucun membre n’a l’e-mail nobody@example.com" })
      .waitFor();
    expect(await page.getByText(/is not a whole number|no member has the email/).count()).toBe(0);
    await screenshotAndCheckA11y(page, "admin-french-import-report");

    // A file that is no import at all is refused as a whole, in French too.
    await page.getByLabel("Fichier CSV").setInputFiles({
      name: "autre.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("name,balance\nada,5\n"),
    });
    await page.getByRole("button", { name: "Vérifier le fichier" }).click();
    await page.getByText(/^Colonne inconnue "name", "balance"/).waitFor();
    // Back to English for whoever opens the admin next.
    await page.goto(`${fixture.sandbox().adminUrl}&locale=en`, { waitUntil: "networkidle" });
  });
});
