/** The official `klaviyo-api` SDK (23.x, the app's Klaviyo client) against the stand-in. */
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import type { KlaviyoStandIn } from "./server";
import { startKlaviyoStandIn } from "./server";

// Minimal structural types for the parts of the SDK used here: the SDK's own generated types are
// deep and change each revision, and these tests only read a few fields.
interface ApiClient {
  basePath: string;
}
type Call<B> = Promise<{ response: { status: number }; body: B }>;
interface Resource<A> {
  data: { id: string; attributes: A };
}
interface Sdk {
  ApiKeySession: new (key: string, retry?: unknown) => unknown;
  RetryWithExponentialBackoff: new (config: { numRetries?: number }) => unknown;
  EventsApi: new (session: unknown) => ApiClient & { createEvent(body: unknown): Call<unknown> };
  ProfilesApi: new (session: unknown) => ApiClient & {
    createOrUpdateProfile(body: unknown): Call<Resource<{ properties?: Record<string, unknown> }>>;
    bulkImportProfiles(body: unknown): Call<Resource<{ status: string }>>;
    getBulkImportProfilesJob(
      id: string,
    ): Call<Resource<{ status: string; completedCount: number }>>;
  };
  MetricsApi: new (session: unknown) => ApiClient & {
    getMetrics(options?: { filter?: string }): Call<{ data: { attributes: { name: string } }[] }>;
  };
  AccountsApi: new (session: unknown) => ApiClient & {
    getAccounts(): Call<{
      data: { attributes: { contactInformation: { organizationName: string } } }[];
    }>;
  };
}

// The SDK is CommonJS only (klaviyo.md §0).
const sdk = createRequire(import.meta.url)("klaviyo-api") as Sdk;

let standIn: KlaviyoStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

function clients(s: KlaviyoStandIn, sdkModule: Sdk, numRetries = 1) {
  const session = new sdkModule.ApiKeySession(
    "pk_sdk_test_key",
    new sdkModule.RetryWithExponentialBackoff({ numRetries }),
  );
  const events = new sdkModule.EventsApi(session);
  const profiles = new sdkModule.ProfilesApi(session);
  const metrics = new sdkModule.MetricsApi(session);
  const accounts = new sdkModule.AccountsApi(session);
  for (const api of [events, profiles, metrics, accounts]) api.basePath = s.url;
  return { events, profiles, metrics, accounts };
}

const earned = (uniqueId: string) => ({
  data: {
    type: "event",
    attributes: {
      properties: { points_earned: 50 },
      time: new Date(),
      value: 0,
      valueCurrency: "USD",
      uniqueId,
      metric: { data: { type: "metric", attributes: { name: "Loyalty Points Earned" } } },
      profile: {
        data: {
          type: "profile",
          attributes: { email: "ada@example.com", externalId: "shopify:1" },
        },
      },
    },
  },
});

describe("klaviyo-api SDK against the stand-in", () => {
  it("creates events, upserts profiles, imports profiles and reads metrics and accounts", async () => {
    const s = (standIn = await startKlaviyoStandIn());
    const api = clients(s, sdk);

    expect((await api.events.createEvent(earned("ledger-1"))).response.status).toBe(202);
    expect(s.state.events[0]).toMatchObject({ unique_id: "ledger-1", value_currency: "USD" });
    expect(s.state.findProfile({ external_id: "shopify:1" })?.email).toBe("ada@example.com");

    const profile = {
      type: "profile",
      attributes: { email: "ada@example.com", properties: { tier: "Gold", balance: 10 } },
    };
    const first = await api.profiles.createOrUpdateProfile({ data: profile });
    expect(first.response.status).toBe(200); // the event above created the profile
    const cleared = await api.profiles.createOrUpdateProfile({
      data: {
        type: "profile",
        attributes: { email: "ada@example.com", properties: { tier: null } },
      },
    });
    expect(cleared.body.data.attributes.properties).toEqual({ balance: 10 });

    const job = await api.profiles.bulkImportProfiles({
      data: {
        type: "profile-bulk-import-job",
        attributes: {
          profiles: { data: [{ type: "profile", attributes: { email: "bob@example.com" } }] },
        },
      },
    });
    expect(job.response.status).toBe(202);
    let status = job.body.data.attributes.status;
    for (let polls = 0; status !== "complete" && polls < 5; polls++) {
      status = (await api.profiles.getBulkImportProfilesJob(job.body.data.id)).body.data.attributes
        .status;
    }
    expect(status).toBe("complete");

    const metrics = await api.metrics.getMetrics({ filter: "equals(integration.name,'API')" });
    expect(metrics.body.data.map((m) => m.attributes.name)).toEqual(["Loyalty Points Earned"]);
    const accounts = await api.accounts.getAccounts();
    expect(accounts.body.data[0]?.attributes.contactInformation.organizationName).toBe(
      "Sandbox Loyalty Store",
    );
  });

  it("surfaces a 429 with Retry-After, and retries an injected 503", async () => {
    const s = (standIn = await startKlaviyoStandIn({ limits: { create_event: { burst: 1 } } }));
    const once = clients(s, sdk, 1);
    await once.events.createEvent(earned("a"));
    const error = await once.events.createEvent(earned("b")).then(
      () => undefined,
      (e: unknown) =>
        e as { response?: { status: number; headers: Record<string, string>; data: unknown } },
    );
    expect(error?.response?.status).toBe(429);
    expect(Number(error?.response?.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(error?.response?.data).toMatchObject({ errors: [{ code: "throttled" }] });

    const retrying = clients(s, sdk, 3);
    s.state.failNext(1, 503);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // leave the throttled second
    expect((await retrying.events.createEvent(earned("c"))).response.status).toBe(202);
    expect(s.state.requests.slice(-2).map((r) => r.status)).toEqual([503, 202]);
  });
});
