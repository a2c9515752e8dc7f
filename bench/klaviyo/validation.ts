/**
 * Micro-benchmark: what the Klaviyo stand-in spends validating one bulk request against the
 * OpenAPI contract, with the compiled validator it uses and with the interpreter it replaced
 * (kept as the test oracle), measured alternately in the same process so the ratio holds on a
 * shared machine.
 *
 *   npx tsx bench/klaviyo/validation.ts [rounds]
 *
 * The bodies are the app's own: a Bulk Create Events request of 1,000 points.added events and a
 * Bulk Import Profiles job of 5,000 profiles with every catalog property, sent by the app's client
 * (klaviyo-api 23) to an in-process stand-in and read back from its request log, so they are what
 * the stand-in receives during the drain benchmark.
 */
import { EXAMPLE_PAYLOADS, EXAMPLE_SNAPSHOT, parseLoyaltyEvent } from "~/domain/events";
import { klaviyoEvent, packEventBatches, profileProperties } from "~/domain/klaviyo";
import { sampleProfileFacts } from "~/domain/klaviyo/profile-properties";
import { KlaviyoRateLimiter, klaviyoClient } from "~/integrations/klaviyo";
import type { KlaviyoOperation } from "../../sandbox/klaviyo/openapi";
import { loadKlaviyoContract } from "../../sandbox/klaviyo/openapi";
import { validateAgainstSchema } from "../../sandbox/klaviyo/openapi-validator";
import { validateAgainstSchemaReference } from "../../sandbox/klaviyo/openapi-validator-reference";
import { startKlaviyoStandIn } from "../../sandbox/klaviyo/server";

const rounds = Number(process.argv[2] ?? 30);

async function captureBodies(): Promise<Record<"events" | "profiles", string>> {
  const standIn = await startKlaviyoStandIn({ port: 0 });
  try {
    const client = klaviyoClient(
      { kind: "api_key", key: "pk_bench0123456789abcdef0123456789abcd" },
      { baseUrl: standIn.url, account: "bench", limiter: new KlaviyoRateLimiter() },
    );
    const events = Array.from({ length: 1000 }, (_, i) =>
      klaviyoEvent(
        parseLoyaltyEvent({
          id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
          type: "points.added",
          shopId: "00000000-0000-4000-8000-000000000001",
          customerId: String(1_000_000 + i),
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
          payload: EXAMPLE_PAYLOADS["points.added"],
          snapshot: {
            ...EXAMPLE_SNAPSHOT,
            customer_id: String(1_000_000 + i),
            email: `member${i}@bench.test`,
          },
        }),
      ),
    );
    await client.bulkCreateEvents(packEventBatches(events)[0]!);
    const format = { currency: "USD", timeZone: "America/New_York", locale: "en-US" };
    await client.bulkImportProfiles(
      Array.from({ length: 5000 }, (_, i) => ({
        identity: { email: `member${i}@bench.test` },
        properties: profileProperties(sampleProfileFacts(new Date(), "USD"), format),
      })),
    );
    const body = (operation: string) => {
      const entry = standIn.state.requests.find((r) => r.operation === operation);
      if (!entry || entry.status >= 300) throw new Error(`${operation} was not accepted`);
      return JSON.stringify(entry.body);
    };
    return { events: body("bulk_create_events"), profiles: body("bulk_import_profiles") };
  } finally {
    await standIn.close();
  }
}

const contract = loadKlaviyoContract();
const bodies = await captureBodies();
const cases: { name: string; operation: KlaviyoOperation; text: string }[] = [
  {
    name: "Bulk Create Events, 1,000 events",
    operation: "bulk_create_events",
    text: bodies.events,
  },
  {
    name: "Bulk Import Profiles, 5,000 profiles",
    operation: "bulk_import_profiles",
    text: bodies.profiles,
  },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

console.info(`| request | bytes | JSON.parse (ms) | interpreter (ms) | compiled (ms) | ratio |`);
console.info(`|---|---:|---:|---:|---:|---:|`);
for (const { name, operation, text } of cases) {
  const schema = contract.operation(operation).requestSchema!;
  const opts = { resolveRef: contract.resolveRef };
  const times = { parse: [] as number[], interpreter: [] as number[], compiled: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    // Each validator gets a freshly parsed body, as the stand-in does per request.
    for (const which of round % 2 === 0
      ? (["interpreter", "compiled"] as const)
      : (["compiled", "interpreter"] as const)) {
      let started = performance.now();
      const body: unknown = JSON.parse(text);
      times.parse.push(performance.now() - started);
      started = performance.now();
      const violations =
        which === "compiled"
          ? validateAgainstSchema(body, schema, opts)
          : validateAgainstSchemaReference(body, schema, opts);
      times[which].push(performance.now() - started);
      if (violations.length > 0) throw new Error(`${which}: ${JSON.stringify(violations)}`);
    }
  }
  const [parse, interpreter, compiled] = [times.parse, times.interpreter, times.compiled].map(
    median,
  ) as [number, number, number];
  console.info(
    `| ${name} | ${text.length} | ${parse.toFixed(1)} | ${interpreter.toFixed(1)} | ${compiled.toFixed(1)} | ${(compiled / interpreter).toFixed(3)} |`,
  );
}
console.info(`(medians of ${rounds} rounds each, the two validators alternating)`);
