import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { action as addPointsAction } from "~/routes/flow.add-points";
import { loader as proxyLoader } from "~/routes/proxy._index";
import { processWebhookDelivery } from "~/services/webhooks/processing.server";
import { signAppProxyQuery, signedFlowActionRequest } from "../../sandbox/shopify/signing";
import { deliver, newStore } from "../support/deliveries";
import { API_SECRET, APP_URL, callAction, TEST_SHOP } from "../support/webhooks";

const ROUTES = path.resolve("app/routes");
const read = (file: string) => fs.readFileSync(file, "utf8");

/** How each kind of inbound route proves the request came from Shopify. */
const VERIFIERS: [RegExp, RegExp][] = [
  // verifyShopifyWebhook: the HMAC check receiveQueuedWebhook uses, for a webhook acted on at once.
  [/^webhooks\./, /authenticate\.webhook\(|receiveQueuedWebhook\(|verifyShopifyWebhook\(/],
  [/^flow\./, /handleFlowAction\(/],
  [/^proxy\./, /authenticate\.public\.appProxy\(|authenticateProxy\(/],
  // Customer account and POS extensions: their session token, signed with the app's secret.
  [/^customer-account\./, /authenticateCustomerAccount\(/],
  [/^pos\./, /authenticatePos\(/],
  // Settings pages authenticate through app/lib/settings/route.server.ts (checked below).
  [/^(app|auth)[.$]/, /authenticate\.admin\(|programSection(Loader|Action)\(|adminShop\(/],
];

describe("signature verification on every inbound route", () => {
  it("every route file authenticates with Shopify's verifier for its kind", () => {
    const unverified = fs
      .readdirSync(ROUTES)
      // The Klaviyo OAuth callback has no Shopify request to verify: its proof is the single-use
      // state bound to the shop when the admin started the flow (ADR 0036; checked below). The
      // login form reads nothing of a shop: it only sends the merchant to their admin (ADR 0058).
      // A web pixel has no session token to send: its endpoint takes only an installed shop's
      // well-formed events, rate limited, and a customer's only with their email (ADR 0071).
      .filter(
        (file) =>
          ![
            "_index.tsx",
            "healthz.tsx",
            "klaviyo.oauth.callback.tsx",
            "auth.login.tsx",
            "pixel.events.tsx",
          ].includes(file),
      )
      .filter((file) => {
        const verifier = VERIFIERS.find(([name]) => name.test(file))?.[1];
        return !verifier || !verifier.test(read(path.join(ROUTES, file)));
      });
    // app._index.tsx is under app.tsx's authenticate.admin too, but authenticates itself as well.
    expect(unverified).toEqual([]);
    // Queued webhooks call Shopify's validator directly (authenticate.webhook minus its session
    // read, ADR 0037); the answers to bad requests are checked in webhook-intake.test.ts.
    expect(read("app/lib/webhook-route.server.ts")).toMatch(/verifyShopifyWebhook\(/);
    expect(read("app/lib/webhook-verification.server.ts")).toMatch(/\.validate\(\{ rawBody/);
    expect(read("app/lib/flow-action-route.server.ts")).toMatch(/authenticate\.flow\(/);
    expect(read("app/lib/proxy-route.server.ts")).toMatch(/authenticate\.public\.appProxy\(/);
    expect(read("app/lib/customer-account-route.server.ts")).toMatch(
      /authenticate\.public\.customerAccount\(/,
    );
    expect(read("app/lib/pos-route.server.ts")).toMatch(/authenticate\.public\.pos\(/);
    expect(read("app/lib/settings/route.server.ts")).toMatch(/authenticate\.admin\(/);
    expect(read(path.join(ROUTES, "klaviyo.oauth.callback.tsx"))).toMatch(
      /finishKlaviyoAuthorization\(/,
    );
    expect(read(path.join(ROUTES, "auth.login.tsx"))).toMatch(/loginToShopAdmin\(request\)/);
    expect(read("app/integrations/shopify/login.server.ts")).toMatch(/await login\(request\)/);
    expect(read(path.join(ROUTES, "pixel.events.tsx"))).toMatch(/ingestPixelEvent\(raw\)/);
    const pixel = read("app/services/commerce/pixel.server.ts");
    expect(pixel).toMatch(/uninstalledAt: null/);
    expect(pixel).toMatch(/countPixelRequest\(/);
    expect(pixel).toMatch(/unverified_customer/);
  });

  it("the verifiers compare HMACs in constant time, and the app compares none itself", () => {
    const library = "node_modules/@shopify/shopify-api/dist/esm/lib";
    const validator = read(`${library}/utils/hmac-validator.mjs`);
    // Webhooks, Flow (validateHmacString) and the app proxy (validateHmac) all end in safeCompare.
    expect(validator.match(/return safeCompare\(hmac, localHmac\)/g)).toHaveLength(2);
    expect(validator).not.toMatch(/hmac\s*===|===\s*localHmac/);
    const compare = read(`${library}/auth/oauth/safe-compare.mjs`);
    expect(compare).toMatch(/out \|= viewA\[i\] \^ viewB\[i\]/); // no early exit on the first difference
    const ownCode = ["app", "server"].flatMap((dir) =>
      fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => path.join(dir, f)),
    );
    const handRolled = ownCode
      .filter((file) => /\.tsx?$/.test(file) && !file.endsWith(".test.ts"))
      .filter((file) => /createHmac|timingSafeEqual/.test(read(file)));
    expect(handRolled).toEqual([]);
  });

  it("a Flow action or proxy request with a wrong signature is refused and changes nothing", async () => {
    const runs = await prisma.flowActionRun.count();
    const flow = signedFlowActionRequest({
      url: `${APP_URL}/flow/add-points`,
      secret: "not-the-secret",
      shop: TEST_SHOP,
      handle: "loyalty-add-points",
      actionRunId: "forged-run",
      properties: { customer_id: 1, points: 1_000_000 },
    });
    expect([400, 401]).toContain((await callAction(addPointsAction, flow)).status);
    expect(await prisma.flowActionRun.count()).toBe(runs);

    const params = {
      shop: TEST_SHOP,
      logged_in_customer_id: "1",
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    const forged = { ...params, signature: signAppProxyQuery(params, "not-the-secret") };
    const request = new Request(`${APP_URL}/proxy?${new URLSearchParams(forged)}`);
    const status = await proxyLoader({ request, params: {}, context: {} }).then(
      (response) => response.status,
      (thrown: unknown) => (thrown instanceof Response ? thrown.status : 500),
    );
    expect([400, 401]).toContain(status);
  });
});

describe("secrets never reach the logs", () => {
  const captured: string[] = [];
  const level = process.env.LOG_LEVEL;
  const methods = ["info", "warn", "error", "log", "debug"] as const;

  beforeEach(() => {
    process.env.LOG_LEVEL = "debug";
    for (const method of methods) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        captured.push(args.map(String).join(" "));
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env.LOG_LEVEL = level;
  });

  it("the API secret, encryption key and access tokens appear in no log line, even for failures", async () => {
    // GIVEN an installed shop with an offline access token
    const token = "shpat_do_not_log_0123456789abcdef";
    await prisma.session.create({
      data: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "", accessToken: token },
    });

    // WHEN orders arrive, one is invalid, one delivery fails on a database error, and Flow calls in
    const store = newStore();
    const customer = store.addCustomer({ email: "secret@example.com" });
    await deliver(
      "orders/paid",
      store.addPaidOrder(customer, [{ title: "Tea", price: "10.00", quantity: 1 }]),
    );
    await deliver("orders/paid", { id: 1, currency: "nope" });
    await expect(processWebhookDelivery("not-a-uuid")).rejects.toThrow();
    const flow = signedFlowActionRequest({
      url: `${APP_URL}/flow/add-points`,
      secret: API_SECRET,
      shop: TEST_SHOP,
      handle: "loyalty-add-points",
      actionRunId: "logged-run",
      properties: { customer_id: customer.id, points: 5 },
    });
    expect((await callAction(addPointsAction, flow)).status).toBe(200);

    // THEN something was logged, and none of it carries a secret
    const output = captured.join("\n");
    expect(output).toMatch(/webhook received/);
    for (const secret of [API_SECRET, process.env.ENCRYPTION_KEY!, token]) {
      expect(output).not.toContain(secret);
    }
  });
});
