import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import prisma from "~/db.server";
import { historyProblemText } from "~/lib/history-problems";
import { translator } from "~/lib/i18n";
import { historyProblemsCsv } from "~/services/history-import/report.server";
import { startHistoryImport } from "~/services/history-import/start.server";
import {
  importRow,
  installedStore,
  memberByCustomer,
  runImport,
  type Installed,
} from "../../support/history";
import { seedHistory } from "../../support/history-fixture";

// Issue 18: bad input gets a clear line in the report and loses nothing else.

const CHOICES = { pointsDays: 90, storeCredit: false, fireFlows: false };
const french = translator("fr");

/** A stored problem as the admin shows it to a staff member who reads French. */
const inFrench = (problem: { kind: string; detail: string; copyValues: unknown }) =>
  historyProblemText({ ...problem, values: problem.copyValues }, french);

/** The orders file with its `lineNumber`th line replaced by `text`. */
function corruptingOrdersLine(
  installed: Installed,
  lineNumber: number,
  text: string,
): typeof fetch {
  return async (input, init) => {
    const response = await installed.api.fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    const orders = [...installed.store.adminApi.bulk.operations.values()].find((op) =>
      op.query.includes("LoyaltyHistoryOrders"),
    );
    if (!orders || !url.includes(`/${orders.id}/`)) return response;
    const lines = (await response.text()).split("\n");
    lines[lineNumber - 1] = text;
    return new Response(lines.join("\n"), { status: 200 });
  };
}

describe("history import: bad input", () => {
  it("reports an unreadable line and a line that is not an order, and imports the rest", async () => {
    const installed = await installedStore("malformed");
    const { customers } = seedHistory(installed);
    // Line 1 is Alice's spring order (processed first), line 3 Alice's recent one.
    const fetchFile = corruptingOrdersLine(installed, 1, '{"id": "gid://shopify/Order/1", "broken');
    const id = await runImport(installed, CHOICES, { fetchFile });

    const run = await importRow(id);
    expect(run.state).toBe("done");
    expect(run.problemLines).toContainEqual(
      expect.objectContaining({ file: "orders", line: 1, kind: "malformed_line" }),
    );
    // The other orders are in: Alice's recent one earned, Bob's and Carol's too.
    expect(run.orders).toBe(3);
    expect((await memberByCustomer(installed.shopId, customers.alice.id)).pointsBalance).toBe(80);
    expect((await memberByCustomer(installed.shopId, customers.bob.id)).pointsBalance).toBe(30);
  });

  it("reports an order without the fields it needs by its line", async () => {
    const installed = await installedStore("not-an-order");
    seedHistory(installed);
    const fetchFile = corruptingOrdersLine(
      installed,
      1,
      '{"id":"gid://shopify/Order/77","name":"#77"}',
    );
    const id = await runImport(installed, CHOICES, { fetchFile });

    const run = await importRow(id);
    expect(run.state).toBe("done");
    const problem = run.problemLines.find((p) => p.kind === "malformed_line");
    expect(problem).toMatchObject({ file: "orders", line: 1 });
    expect(problem?.detail).toMatch(/#77|Order\/77/);
    expect(inFrench(problem!)).toMatch(
      /^#77 n’est pas tel que l’application l’a demandé à Shopify : /,
    );
  });

  it("a failed orders operation leaves the members in and says so", async () => {
    const installed = await installedStore("bulk-failed");
    seedHistory(installed);
    installed.store.adminApi.bulk.injectFault({
      kind: "failed",
      errorCode: "TIMEOUT",
      queryIncludes: "LoyaltyHistoryOrders",
    });
    const id = await runImport(installed, CHOICES);

    const run = await importRow(id);
    expect(run).toMatchObject({ state: "done", customers: 6, orders: 0 });
    expect(run.problemLines).toContainEqual(
      expect.objectContaining({
        file: "orders",
        kind: "bulk_failed",
        detail: "Shopify's bulk operation ended FAILED (TIMEOUT)",
      }),
    );
    const failed = run.problemLines.find((p) => p.kind === "bulk_failed")!;
    expect(inFrench(failed)).toBe(
      "L’export de Shopify s’est terminé en FAILED (TIMEOUT) : ce fichier n’a pas été importé",
    );
    // The downloadable report says it in the staff member's language too.
    let csv = "";
    for await (const chunk of historyProblemsCsv(installed.shopId, id, french)) csv += chunk;
    expect(csv).toContain("ce fichier n’a pas été importé");
    expect(await prisma.member.count({ where: { shopId: installed.shopId } })).toBe(6);
  });

  it("applies the part of a failed operation Shopify kept, and says it is partial", async () => {
    const installed = await installedStore("bulk-partial");
    seedHistory(installed);
    installed.store.adminApi.bulk.injectFault({
      kind: "partial",
      afterObjects: 2,
      queryIncludes: "LoyaltyHistoryOrders",
    });
    const id = await runImport(installed, CHOICES);

    const run = await importRow(id);
    expect(run.state).toBe("done");
    expect(run.problemLines).toContainEqual(
      expect.objectContaining({ file: "orders", kind: "partial_result" }),
    );
    expect(run.orders).toBeGreaterThan(0);
    expect(run.orders).toBeLessThan(4);
  });

  it("waits for a place when the shop's bulk operations are taken, then runs", async () => {
    const installed = await installedStore("bulk-busy");
    const { customers } = seedHistory(installed);
    // Another app of the shop holds the bulk query slot until it finishes.
    const other = await installed.api.gql(
      `mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") {
        bulkOperation { id } userErrors { message code } } }`,
    );
    expect(JSON.stringify(other.body)).not.toMatch(/userErrors":\[\{/);
    const id = await runImport(installed, CHOICES);

    const run = await importRow(id);
    expect(run.state).toBe("done");
    expect((await memberByCustomer(installed.shopId, customers.alice.id)).pointsBalance).toBe(80);
  });

  it("refuses choices it cannot honour, with the reason, and starts nothing", async () => {
    const installed = await installedStore("bad-choices");
    await expect(
      startHistoryImport(installed.shopId, { pointsDays: 0, storeCredit: false, fireFlows: false }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      startHistoryImport(installed.shopId, {
        pointsDays: 90,
        storeCredit: "yes",
        fireFlows: false,
      }),
    ).rejects.toBeInstanceOf(ZodError);
    expect(await prisma.historyImport.count({ where: { shopId: installed.shopId } })).toBe(0);
  });
});
