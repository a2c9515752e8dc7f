import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readAppConfig } from "../../sandbox/shopify/app-config";
import { loadAdminSchema } from "../../sandbox/shopify/admin-graphql";

const config = readAppConfig();
const COMPLIANCE = ["customers/data_request", "customers/redact", "shop/redact"];

/** "/webhooks/app/uninstalled" → app/routes/webhooks.app.uninstalled.tsx (Remix flat routes). */
function routeFileFor(uri: string) {
  return path.resolve("app/routes", `${uri.replace(/^\//, "").split("/").join(".")}.tsx`);
}

/** "orders/paid" → "ORDERS_PAID", the form authenticate.webhook gives routes. */
const enumName = (topic: string) => topic.toUpperCase().replace(/[/.]/g, "_");

describe("shopify.app.toml", () => {
  it("subscribes only to topics Shopify's schema for its API version knows", () => {
    const { schema } = loadAdminSchema(config.apiVersion);
    const topicEnum = schema.getType("WebhookSubscriptionTopic");
    const known = new Set(
      topicEnum && "getValues" in topicEnum ? topicEnum.getValues().map((v) => v.name) : [],
    );
    const topics = config.subscriptions
      .flatMap((s) => s.topics)
      .filter((t) => !COMPLIANCE.includes(t));
    expect(topics.length).toBeGreaterThan(0);
    expect(topics.filter((topic) => !known.has(enumName(topic)))).toEqual([]);
  });

  it("sends every subscription to a route that exists and accepts that topic", () => {
    for (const subscription of config.subscriptions) {
      const file = routeFileFor(subscription.uri);
      expect(fs.existsSync(file), `${subscription.uri} → ${file}`).toBe(true);
      const source = fs.readFileSync(file, "utf8");
      for (const topic of subscription.topics) {
        const handledByList =
          source.includes(`"${enumName(topic)}"`) || source.includes("COMPLIANCE_TOPICS");
        const singleTopicRoute = subscription.topics.length === 1;
        expect(handledByList || singleTopicRoute, `${topic} in ${file}`).toBe(true);
      }
    }
  });

  it("declares all three compliance topics and the app proxy", () => {
    expect(config.subscriptions.flatMap((s) => s.topics)).toEqual(
      expect.arrayContaining(COMPLIANCE),
    );
    expect(config.appProxy).toEqual({ url: "/proxy", prefix: "apps", subpath: "loyalty" });
    expect(config.scopes).toContain("write_app_proxy");
  });

  it("uses the API version the app is configured with", () => {
    const server = fs.readFileSync(path.resolve("app/shopify.server.ts"), "utf8");
    const [year, month] = config.apiVersion.split("-");
    const monthName = new Date(Date.UTC(Number(year), Number(month) - 1)).toLocaleString("en", {
      month: "long",
      timeZone: "UTC",
    });
    expect(server).toContain(`ApiVersion.${monthName}${year?.slice(2)}`);
  });
});
