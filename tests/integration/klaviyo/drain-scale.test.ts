import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { EXAMPLE_PAYLOADS, EXAMPLE_SNAPSHOT } from "~/domain/events/index";
import { FIRST_CURSOR, pendingRoundQuery } from "~/services/klaviyo/event-delivery.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { explainNodes } from "../../support/explain";

const EVENTS = 20_000;
let shopId: string;

beforeAll(async () => {
  shopId = (await ensureShop(prisma, "drain-scale.myshopify.com")).id;
  // A backfill's worth of events that all share one time: the case a cursor on time alone sorts.
  await prisma.$executeRaw`
    INSERT INTO "Member" (id, "shopId", "customerId", email, "updatedAt")
    SELECT gen_random_uuid(), ${shopId}::uuid, 1000000 + g, 'm' || g || '@example.com', now()
    FROM generate_series(1, ${EVENTS}::int) g`;
  await prisma.$executeRaw`
    INSERT INTO "LoyaltyEvent" (id, "shopId", "memberId", "customerId", type, payload, snapshot, "occurredAt")
    SELECT gen_random_uuid(), m."shopId", m.id, m."customerId", 'points.added',
      ${JSON.stringify(EXAMPLE_PAYLOADS["points.added"])}::jsonb,
      ${JSON.stringify(EXAMPLE_SNAPSHOT)}::jsonb || jsonb_build_object('customer_id', m."customerId"::text),
      '2026-11-30T12:00:00Z'::timestamp(3)
    FROM "Member" m WHERE m."shopId" = ${shopId}::uuid`;
  await prisma.$executeRaw`
    INSERT INTO "EventDelivery" ("eventId", "shopId", destination, "updatedAt")
    SELECT id, "shopId", 'klaviyo', now() FROM "LoyaltyEvent" WHERE "shopId" = ${shopId}::uuid`;
  await prisma.$executeRaw`ANALYZE`;
}, 120_000);

describe(`the Klaviyo drain's rounds over ${EVENTS.toLocaleString("en")} events of one time`, () => {
  it("read one ordered range of the events' index, from the start and from a cursor", async () => {
    const [middle] = await prisma.$queryRaw<{ id: string; occurredAt: Date }[]>`
      SELECT id, "occurredAt" FROM "LoyaltyEvent" WHERE "shopId" = ${shopId}::uuid
      ORDER BY "occurredAt", id OFFSET ${EVENTS / 2} LIMIT 1`;
    for (const after of [FIRST_CURSOR, { occurredAt: middle!.occurredAt, eventId: middle!.id }]) {
      const query = pendingRoundQuery(shopId, "pending", new Date(), after, 1000);
      const nodes = await explainNodes(query);
      const types = nodes.map((n) => n["Node Type"]);
      expect(types).not.toContain("Sort");
      expect(types).not.toContain("Seq Scan");
      const events = nodes.find((n) => n["Relation Name"] === "LoyaltyEvent");
      expect(events?.["Index Name"]).toBe("LoyaltyEvent_shopId_occurredAt_id_idx");
      expect(events?.["Actual Rows"]).toBeLessThanOrEqual(1000);
      const rows = await prisma.$queryRaw<{ id: string }[]>(query);
      expect(rows).toHaveLength(1000);
      if (after !== FIRST_CURSOR) expect(rows.every((r) => r.id > after.eventId)).toBe(true);
    }
  }, 60_000);
});
