import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { ProgramConfigSchema } from "~/domain/program";
import { action as addPointsAction } from "~/routes/flow.add-points";
import { action as setBirthdayAction } from "~/routes/flow.set-birthday";
import { action as setVipTierAction } from "~/routes/flow.set-vip-tier";
import { action as subtractPointsAction } from "~/routes/flow.subtract-points";
import { loader as proxyLoader } from "~/routes/proxy._index";
import { action as complianceAction } from "~/routes/webhooks.compliance";
import { action as customersAction } from "~/routes/webhooks.customers";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { saveRewardSettings } from "~/services/program/catalog-settings.server";
import { saveProgramSection } from "~/services/program/settings.server";
import { saveProgram } from "~/services/program/versions.server";
import { processWebhookDelivery } from "~/services/webhooks/processing.server";
import { signAppProxyQuery, signedFlowActionRequest } from "../../sandbox/shopify/signing";
import { deliver, newStore } from "../support/deliveries";
import { routeAdminApiToStandIn } from "../support/rewards";
import { API_SECRET, APP_URL, callAction, TEST_SHOP, webhook } from "../support/webhooks";
import { sized } from "./support/size";

const RUNS = sized(250, 40);
let customerId = 0;
let sequence = 0;

/** What a rejected input must leave untouched. */
async function effects() {
  const [members, entries, events, versions, runs] = await Promise.all([
    prisma.member.findMany({
      select: {
        id: true,
        pointsBalance: true,
        status: true,
        email: true,
        tierId: true,
        birthMonth: true,
      },
    }),
    prisma.ledgerEntry.count(),
    prisma.loyaltyEvent.count(),
    prisma.programVersion.count(),
    prisma.flowActionRun.count(),
  ]);
  return { members, entries, events, versions, runs };
}

// Adversarial values: wrong types, huge and unsafe numbers, numeric strings, prototype keys, deep nesting.
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(
    -1,
    0,
    1.5,
    2 ** 31,
    2 ** 53 + 1,
    -(2 ** 63),
    Number("1e309"),
    "1e3",
    "",
    " ",
    "NaN",
    "9".repeat(40),
    null,
    [],
    {},
  ),
  fc.constantFrom(
    { __proto__: { polluted: true } },
    { constructor: { prototype: 1 } },
    "<script>alert(1)</script>",
    '\'; DROP TABLE "Member"; --',
  ),
  fc.string({ maxLength: 300 }),
);

/** A real orders/paid payload with one field replaced by something hostile, or removed. */
function mutatedOrder() {
  const store = newStore();
  const customer = store.addCustomer({ email: "fuzz@example.com" });
  const order = store.addPaidOrder(customer, [{ title: "Tea", price: "12.00", quantity: 2 }]);
  const paths = [
    ["id"],
    ["currency"],
    ["created_at"],
    ["line_items"],
    ["line_items", 0, "price"],
    ["line_items", 0, "quantity"],
    ["line_items", 0, "id"],
    ["customer"],
    ["customer", "id"],
    ["total_tax"],
    ["total_shipping_price_set"],
    ["admin_graphql_api_id"],
    ["customer", "admin_graphql_api_id"],
  ] as const;
  return fc
    .record({ path: fc.constantFrom(...paths), value: nasty, remove: fc.boolean() })
    .map(({ path, value, remove }) => {
      const copy = structuredClone(order) as unknown as Record<string, unknown>;
      let target = copy as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
      if (remove) delete target[path.at(-1)!];
      else target[path.at(-1)!] = value;
      return copy;
    });
}

beforeAll(async () => {
  const store = newStore();
  // Shopify answers (the stand-in): a Flow action for a customer the app has not seen asks it
  // (ADR 0055), and an unknown id is a 4xx, not the 503 of an unreachable Shopify.
  await routeAdminApiToStandIn(() => store, "shpat_fuzz");
  const customer = store.addCustomer({ email: "member@example.com" });
  await deliver(
    "orders/paid",
    store.addPaidOrder(customer, [{ title: "Tea", price: "50.00", quantity: 1 }]),
  );
  customerId = customer.id;
});

describe("fuzzing the inbound surfaces", () => {
  it("webhook routes: any payload is acknowledged or refused, never a 500, and a rejected one changes nothing", async () => {
    const routes = [
      {
        path: "/webhooks/orders",
        action: ordersAction,
        topics: ["orders/paid", "orders/cancelled", "refunds/create", "orders/edited"],
      },
      {
        path: "/webhooks/customers",
        action: customersAction,
        topics: [
          "customers/create",
          "customers/update",
          "customers/enable",
          "customers/merge",
          "customers/delete",
        ],
      },
      {
        path: "/webhooks/compliance",
        action: complianceAction,
        topics: ["customers/data_request", "customers/redact"],
      },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.nat(),
        fc.oneof(fc.jsonValue({ maxDepth: 5 }), mutatedOrder()),
        async (route, pick, payload) => {
          const before = await effects();
          const webhookId = `fuzz-${++sequence}`;
          const topic = route.topics[pick % route.topics.length]!;
          const response = await callAction(
            route.action,
            webhook(route.path, topic, payload, { webhookId }),
          );
          expect([200, 400, 422]).toContain(response.status);
          if (response.status !== 200) return expect(await effects()).toEqual(before);
          const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId } });
          // A delivery that throws here would be retried forever: bad input must be rejected instead.
          await processWebhookDelivery(delivery.id);
          const processed = await prisma.webhookDelivery.findUniqueOrThrow({
            where: { id: delivery.id },
          });
          expect(processed.processedAt).not.toBeNull();
          if (processed.outcome !== "applied") expect(await effects()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("webhook routes: a wrong or missing signature stores nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 3 }),
        fc.string({ maxLength: 60 }),
        async (payload, hmac) => {
          const deliveries = await prisma.webhookDelivery.count();
          const request = webhook("/webhooks/orders", "orders/paid", payload, {
            webhookId: `forged-${++sequence}`,
            secret: `not-${API_SECRET}`,
          });
          if (hmac) request.headers.set("X-Shopify-Hmac-Sha256", hmac);
          const response = await callAction(ordersAction, request);
          expect([400, 401]).toContain(response.status);
          expect(await prisma.webhookDelivery.count()).toBe(deliveries);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("Flow action routes: hostile properties get a 4xx with nothing changed, never a 500", async () => {
    const actions = [
      { path: "/flow/add-points", action: addPointsAction, handle: "loyalty-add-points" },
      {
        path: "/flow/subtract-points",
        action: subtractPointsAction,
        handle: "loyalty-subtract-points",
      },
      { path: "/flow/set-vip-tier", action: setVipTierAction, handle: "loyalty-set-vip-tier" },
      { path: "/flow/set-birthday", action: setBirthdayAction, handle: "loyalty-set-birthday" },
    ];
    const properties = fc.record(
      {
        customer_id: fc.oneof(nasty, fc.constant(customerId || 1)),
        points: nasty,
        tier: nasty,
        birthday: nasty,
        note: nasty,
        extra: nasty,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...actions), properties, async (route, props) => {
        const before = await effects();
        const request = signedFlowActionRequest({
          url: `${APP_URL}${route.path}`,
          secret: API_SECRET,
          shop: TEST_SHOP,
          handle: route.handle,
          actionRunId: `fuzz-run-${++sequence}`,
          properties: { ...props, customer_id: props.customer_id ?? customerId },
        });
        const response = await callAction(route.action, request);
        expect(response.status).toBeLessThan(500);
        if (response.status !== 200) {
          const after = await effects();
          // The run itself is recorded (so Flow's retry gets the same answer); nothing else moves.
          expect({ ...after, runs: before.runs }).toEqual(before);
        }
      }),
      // Once failed (a 503): a customer id the app has never seen, asked of Shopify.
      { numRuns: RUNS, examples: [[actions[2]!, { customer_id: 2_147_483_648 }]] },
    );
  });

  it("app proxy: any query, signed or not, is answered without a 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 }), { maxKeys: 6 }),
        fc.boolean(),
        async (query, sign) => {
          const params = {
            shop: TEST_SHOP,
            timestamp: String(Math.floor(Date.now() / 1000)),
            ...query,
          };
          const signed = sign
            ? { ...params, signature: signAppProxyQuery(params, API_SECRET) }
            : params;
          let status: number;
          try {
            status = (
              await proxyLoader({
                request: new Request(`${APP_URL}/proxy?${new URLSearchParams(signed)}`),
                params: {},
                context: {},
              })
            ).status;
          } catch (thrown) {
            if (!(thrown instanceof Response)) throw thrown;
            status = thrown.status;
          }
          expect(status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("program settings: any input parses or is refused with field errors, and a refused save stores nothing", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const settings = fc.oneof(
      nasty,
      fc.record(
        {
          earning: fc.record({ pointsPerUnit: nasty, rounding: nasty }, { requiredKeys: [] }),
          tiers: nasty,
          expiry: nasty,
          bonuses: nasty,
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(settings, async (input) => {
        const parsed = ProgramConfigSchema.safeParse(input);
        const versions = await prisma.programVersion.count();
        let saved = true;
        try {
          await prisma.$transaction((tx) => saveProgram(tx, shop.id, input, "fuzz"));
        } catch (error) {
          saved = false;
          expect((error as Error).name).toBe("ZodError");
        }
        expect(saved).toBe(parsed.success);
        expect(await prisma.programVersion.count()).toBe(versions + (saved ? 1 : 0));
      }),
      { numRuns: RUNS },
    );
  });

  it("admin settings: picked products, collections and tiers save only when they are the shop's, with copy for every refusal", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const tier = (id: string, points: number) => ({
      id,
      name: id.toUpperCase(),
      threshold: { kind: "lifetime_points", points },
      earnMultiplier: 1,
      entryBonusPoints: 0,
    });
    await prisma.$transaction((tx) =>
      saveProgram(tx, shop.id, { tiers: [tier("silver", 100), tier("gold", 1000)] }, "fuzz"),
    );
    const pickedId = fc.oneof(
      fc.bigInt({ min: 1n, max: 10n ** 20n - 1n }).map(String),
      fc.constantFrom("<script>alert(1)</script>", "foo bar", "", " 12", "gid://shopify/Product/1"),
      fc.string({ maxLength: 30 }),
    );
    const isPicked = (id: unknown) => typeof id === "string" && /^\d{1,20}$/.test(id);
    // zod's own sentences never reach the merchant.
    const validatorText = /expected|Too small|Too big|Invalid|received/;

    await fc.assert(
      fc.asyncProperty(
        fc.array(pickedId, { maxLength: 6 }),
        fc.array(pickedId, { maxLength: 6 }),
        async (products, collections) => {
          const draft = {
            earning: { excludedProductIds: products, excludedCollectionIds: collections },
            refunds: {},
          };
          const versions = await prisma.programVersion.count({ where: { shopId: shop.id } });
          const result = await saveProgramSection(
            shop.id,
            "earning",
            JSON.stringify(draft),
            "fuzz",
          );
          const valid = products.every(isPicked) && collections.every(isPicked);
          expect(result.ok).toBe(valid);
          if (!result.ok) {
            for (const [path, message] of Object.entries(result.errors)) {
              expect(path).toMatch(/^earning\.excluded(Product|Collection)Ids\.\d+$/);
              expect(message).not.toMatch(validatorText);
            }
          }
          const after = await prisma.programVersion.count({ where: { shopId: shop.id } });
          expect(after - versions).toBeLessThanOrEqual(valid ? 1 : 0);
        },
      ),
      { numRuns: RUNS },
    );

    const tierIds = fc.array(
      fc.oneof(fc.constantFrom("silver", "gold"), fc.string({ maxLength: 12 })),
      {
        maxLength: 4,
      },
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(tierIds, async (eligibleTierIds) => {
        const handle = `fuzz-${++n}`;
        const reward = {
          type: "fixed_amount",
          handle,
          name: "Fuzz",
          pointsCost: 100,
          amountMinor: 100,
          eligibleTierIds,
        };
        const result = await saveRewardSettings(shop.id, "create", null, JSON.stringify(reward));
        const known = eligibleTierIds.every((id) => id === "silver" || id === "gold");
        const saved = await prisma.reward.count({ where: { shopId: shop.id, handle } });
        expect(saved).toBe(result.ok ? 1 : 0);
        if (known && eligibleTierIds.every((id) => id.length > 0)) expect(result.ok).toBe(true);
        if (!known) expect(result.ok).toBe(false);
        if (!result.ok) {
          for (const message of Object.values(result.errors)) {
            expect(message).not.toMatch(validatorText);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
