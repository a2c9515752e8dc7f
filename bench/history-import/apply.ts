// Child of `npm run bench -- import`: applies the two bulk result files in <dir> to the database
// in DATABASE_URL with the history import's own code (applyResultLines, the chunks and
// transactions a run uses, then the valuing of every customer's orders), as one worker would, and
// prints what it took as JSON.
// Usage: apply.ts <dir> <shop domain>
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

const [dir, domain] = process.argv.slice(2);
const { default: prisma, database } = await import("../../app/db.server");
const { migrate } = await import("../../app/db/migrate.server");
await migrate(database);
const { ensureShop } = await import("../../app/services/shops/ensure.server");
const { saveProgram } = await import("../../app/services/program/versions.server");
const { applyResultLines } = await import("../../app/services/history-import/apply.server");
const { bulkResultLines } = await import("../../app/integrations/shopify/bulk.server");
const { valueImportedOrders } = await import("../../app/services/history-import/valued.server");

const tier = (id: string, minor: number) => ({
  id,
  name: id,
  threshold: { kind: "spend_365d", minor },
  earnMultiplier: 1,
  entryBonusPoints: 0,
});
const shop = await prisma.$transaction(async (tx) => {
  const created = await ensureShop(tx, domain!);
  await saveProgram(
    tx,
    created.id,
    { tiers: [tier("silver", 20_000), tier("gold", 60_000)] },
    null,
  );
  return created;
});
const run = await prisma.historyImport.create({
  data: {
    shopId: shop.id,
    state: "applying",
    choices: { pointsDays: 90, storeCredit: true, fireFlows: false },
    applyingAt: new Date(),
  },
});
// The result files as Shopify serves them: a stream, read line by line.
const fromDisk = (async (url: string) =>
  new Response(
    Readable.toWeb(fs.createReadStream(new URL(url))) as unknown as ReadableStream,
  )) as unknown as typeof fetch;

const seconds: Record<string, number> = {};
const now = new Date();
for (const file of ["customers", "orders"] as const) {
  const url = `file://${path.resolve(dir!, `${file}.jsonl`)}`;
  const started = performance.now();
  const outcome = await applyResultLines(
    run.id,
    file,
    { from: 1 },
    {
      lines: bulkResultLines(url, 1, fromDisk),
      now,
      deadline: Number.POSITIVE_INFINITY,
      clock: Date.now,
    },
  );
  if (outcome !== "done") throw new Error(`${file}: ${outcome}`);
  seconds[file] = (performance.now() - started) / 1000;
}
// Then every customer's orders valued (points, tiers), as the run does once both files are in.
const valuingStarted = performance.now();
const stored = await prisma.historyImport.findUniqueOrThrow({ where: { id: run.id } });
const valued = await valueImportedOrders(stored, {
  now,
  deadline: Number.POSITIVE_INFINITY,
  clock: Date.now,
});
if (valued !== "done") throw new Error(`valuing: ${valued}`);
seconds.valuing = (performance.now() - valuingStarted) / 1000;
const done = await prisma.historyImport.findUniqueOrThrow({ where: { id: run.id } });
console.info(
  JSON.stringify({
    seconds,
    customers: done.customers,
    orders: done.orders,
    points: done.pointsAwarded,
    problems: done.problems,
    members: await prisma.member.count({ where: { shopId: shop.id } }),
  }),
);
await prisma.$disconnect();
// The app's modules keep timers (session storage, pools) that would hold the process open.
process.exit(0);
