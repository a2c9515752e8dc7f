/**
 * The settings save of the recompute benchmark, as its own process (the app's modules read
 * DATABASE_URL at import): `tsx bench/recompute/save.ts <shopId> '<program JSON>'` saves a new
 * program version through saveProgram, which queues the recompute in the same transaction, and
 * prints the commit time (ms since the epoch) as its last line.
 */
import prisma from "~/db.server";
import { shutdown } from "~/jobs/start.server";
import { saveProgram } from "~/services/program/versions.server";

const [shopId, config] = process.argv.slice(2);
if (!shopId || !config) throw new Error("usage: save.ts <shopId> <program JSON>");
// Generous waits: the benchmark shares a busy machine.
const saved = await prisma.$transaction(
  (tx) => saveProgram(tx, shopId, JSON.parse(config), "bench"),
  { maxWait: 30_000, timeout: 120_000 },
);
const committedAt = Date.now();
console.error(`saved version ${saved.version}, changed: ${saved.changed.join(", ")}`);
await shutdown();
process.stdout.write(`${committedAt}\n`);
