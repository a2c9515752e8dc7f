/**
 * The sandbox merchant runs the history import from the first-run checklist, as a merchant
 * would on day one, and it is waited for: the app's own service and worker, Shopify's bulk
 * operations in the stand-in. Tests that need members from the first page use it.
 */
import prisma from "../app/db.server";
import { startHistoryImport } from "../app/services/history-import/start.server";

export async function importSandboxHistory(shopDomain: string, timeoutMs = 120_000) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const { id } = await startHistoryImport(shop.id, {
    pointsDays: 365,
    storeCredit: true,
    fireFlows: false,
  });
  for (let waited = 0; waited < timeoutMs; waited += 250) {
    const run = await prisma.historyImport.findUniqueOrThrow({ where: { id } });
    if (run.state === "done") return run;
    if (run.state === "failed" || run.state === "stopped") {
      throw new Error(`the sandbox history import ended ${run.state}: ${run.lastError ?? ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the sandbox history import did not finish in ${timeoutMs} ms`);
}
