import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

/** What the Shopify stand-in needs from shopify.app.toml: the same file Shopify reads on deploy. */
export interface AppConfig {
  scopes: string[];
  apiVersion: string;
  subscriptions: { topics: string[]; uri: string }[];
  appProxy: { url: string; prefix: string; subpath: string } | undefined;
}

interface RawToml {
  access_scopes?: { scopes?: string };
  webhooks?: {
    api_version?: string;
    subscriptions?: { topics?: string[]; compliance_topics?: string[]; uri: string }[];
  };
  app_proxy?: { url: string; prefix: string; subpath: string };
}

export function readAppConfig(file = path.resolve("shopify.app.toml")): AppConfig {
  const raw = parse(fs.readFileSync(file, "utf8")) as RawToml;
  const apiVersion = raw.webhooks?.api_version;
  if (!apiVersion) throw new Error(`${file}: [webhooks] api_version is required`);
  return {
    scopes: (raw.access_scopes?.scopes ?? "")
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
    apiVersion,
    subscriptions: (raw.webhooks?.subscriptions ?? []).map((subscription) => ({
      topics: [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])],
      uri: subscription.uri,
    })),
    appProxy: raw.app_proxy,
  };
}

/** The address a topic is delivered to, as Shopify resolves a relative `uri` against the app URL. */
export function subscriptionUri(config: AppConfig, topic: string): string | undefined {
  return config.subscriptions.find((subscription) => subscription.topics.includes(topic))?.uri;
}
