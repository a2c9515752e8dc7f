import fs from "node:fs";
import path from "node:path";
import { afterAll, inject } from "vitest";

// After each integration file: which catalog enum values its events carried (each event type's
// source, reason, reward type, change kind), for tests/setup/pglite-snapshot.ts's teardown to
// check that every declared value is produced somewhere (issue #21). Events with exactly the
// catalog's example payload are left out: a test that writes examples proves no producer.
afterAll(async () => {
  const dir = inject("eventCoverageDir");
  if (!dir) return;
  const { default: prisma } = await import("~/db.server");
  const { catalogEnums, EXAMPLE_PAYLOADS } = await import("~/domain/events");
  const produced = new Set<string>();
  for (const { type, key } of catalogEnums()) {
    const rows = await prisma.$queryRaw<{ value: string | null }[]>`
      SELECT DISTINCT payload->>${key} AS value FROM "LoyaltyEvent"
      WHERE type = ${type} AND payload <> ${JSON.stringify(EXAMPLE_PAYLOADS[type])}::jsonb`;
    for (const { value } of rows) if (value !== null) produced.add(`${type}|${key}|${value}`);
  }
  const file = path.join(dir, `${process.pid}-${Date.now()}-${Math.random()}.json`);
  fs.writeFileSync(file, JSON.stringify([...produced]));
});
