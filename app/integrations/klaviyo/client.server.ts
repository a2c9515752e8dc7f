import {
  AccountsApi,
  ApiKeySession,
  EventsApi,
  ListsApi,
  ProfilesApi,
  RetryWithExponentialBackoff,
  type Session,
} from "klaviyo-api";
import type {
  EventBatch,
  KlaviyoEvent,
  ProfileIdentity,
  ProfileProperties,
} from "~/domain/klaviyo";
import { bulkCreateEventsBody } from "./bulk-events-body";
import { classifyKlaviyoError, KlaviyoApiError } from "./errors";
import type { KlaviyoRateLimiter } from "./rate-limiter";
import { type KlaviyoOperation } from "./rate-limiter";

/** The API revision klaviyo-api 23.0.0 sends on every request (fixed by the SDK version). */
export const KLAVIYO_REVISION = "2026-07-15";

/** Klaviyo has no timeout of its own (axios defaults to none): a hung request must not hang a worker. */
export const REQUEST_TIMEOUT_MS = 15_000;

type AxiosConfig = Parameters<ApiKeySession["applyToRequest"]>[0];

/** The SDK's session with a request timeout and without its own retries: the outbox retries. */
class TimeoutApiKeySession extends ApiKeySession {
  constructor(
    key: string,
    private readonly timeoutMs: number,
  ) {
    // numRetries counts attempts (klaviyo.md §2): 1 is a single try.
    super(key, new RetryWithExponentialBackoff({ numRetries: 1 }));
  }
  override applyToRequest(config: AxiosConfig) {
    super.applyToRequest(config);
    config.timeout = this.timeoutMs;
  }
}

/**
 * Where an OAuth connection's access token comes from. `renew` is called after a 401 with the token
 * Klaviyo refused, so a token another process already replaced is not refreshed twice.
 */
export interface BearerTokenSource {
  current(): Promise<string>;
  renew(rejected: string): Promise<void>;
}

/**
 * An OAuth session: Bearer token from the source, refreshed once on a 401 (as the SDK's own
 * OAuthSession does, klaviyo.md §1). It extends the key session only to inherit the SDK's
 * revision and User-Agent headers, then replaces the Authorization header.
 */
class TimeoutBearerSession implements Session {
  /** Supplies the SDK's revision/User-Agent headers, the timeout and the single-try retry policy. */
  private readonly base: TimeoutApiKeySession;
  private lastToken = "";
  constructor(
    private readonly tokens: BearerTokenSource,
    timeoutMs: number,
  ) {
    this.base = new TimeoutApiKeySession("", timeoutMs);
  }
  async applyToRequest(config: AxiosConfig) {
    this.base.applyToRequest(config);
    this.lastToken = await this.tokens.current();
    if (config.headers) config.headers["Authorization"] = `Bearer ${this.lastToken}`;
  }
  requestWithRetry(config: AxiosConfig) {
    return this.base.requestWithRetry(config);
  }
  async refreshAndRetry(error: unknown, retried: boolean): Promise<boolean> {
    const status = (error as { response?: { status?: number } }).response?.status;
    if (retried || status !== 401) return false;
    await this.tokens.renew(this.lastToken);
    return true;
  }
}

/**
 * POSTs a body already in Klaviyo's wire format through the SDK's session, as the SDK's own
 * methods do (its auth, revision and User-Agent headers, the timeout, one OAuth refresh after a
 * 401), only without the SDK's ObjectSerializer: for Bulk Create Events (ADR 0051). The body goes
 * as a Buffer, which axios sends as it is; a string would be JSON.parse'd again to check it.
 */
async function postWireJson(session: Session, url: string, json: string) {
  const config: AxiosConfig = {
    method: "POST",
    url,
    headers: { Accept: "application/vnd.api+json", "Content-Type": "application/json" },
    data: Buffer.from(json),
  };
  await session.applyToRequest(config);
  try {
    return await session.requestWithRetry(config);
  } catch (error) {
    if (!(await session.refreshAndRetry(error, false))) throw error;
    await session.applyToRequest(config);
    return session.requestWithRetry(config);
  }
}

/** A private key (`pk_…`) or an OAuth grant. */
export type KlaviyoCredential =
  { kind: "api_key"; key: string } | { kind: "oauth"; tokens: BearerTokenSource };

export type KlaviyoClientOptions = {
  baseUrl: string;
  /** Rate-limit windows are kept per account key (the shop). */
  account: string;
  limiter: KlaviyoRateLimiter;
  timeoutMs?: number;
};

export type ProfileUpdate = { identity: ProfileIdentity; properties: ProfileProperties };

export type BulkImportJob = {
  id: string;
  status: string;
  totalCount: number;
  completedCount: number;
  failedCount: number;
};

function eventAttributes(event: KlaviyoEvent, backfill: boolean) {
  return {
    properties: event.properties,
    time: event.time,
    uniqueId: event.uniqueId,
    ...(event.value !== undefined ? { value: event.value } : {}),
    ...(event.valueCurrency !== undefined ? { valueCurrency: event.valueCurrency } : {}),
    metric: { data: { type: "metric", attributes: { name: event.metric } } },
    // Only set when true: flows must not fire for history ("Sync now" with past events).
    ...(backfill ? { backfill: true } : {}),
  };
}

const profileResource = (update: ProfileUpdate) => ({
  type: "profile",
  attributes: { ...update.identity, properties: update.properties },
});

/**
 * One shop's Klaviyo account through the official SDK (klaviyo-api 23, revision 2026-07-15): every
 * call waits for the rate limiter, has a timeout, and fails with a classified KlaviyoApiError.
 */
export function klaviyoClient(credential: KlaviyoCredential, options: KlaviyoClientOptions) {
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const session =
    credential.kind === "api_key"
      ? new TimeoutApiKeySession(credential.key, timeoutMs)
      : new TimeoutBearerSession(credential.tokens, timeoutMs);
  const accounts = new AccountsApi(session);
  const events = new EventsApi(session);
  const profiles = new ProfilesApi(session);
  const lists = new ListsApi(session);
  for (const api of [accounts, events, profiles, lists]) api.basePath = options.baseUrl;

  async function call<T>(operation: KlaviyoOperation, request: () => Promise<T>): Promise<T> {
    const takenAt = await options.limiter.acquire(options.account, operation);
    try {
      return await request();
    } catch (error) {
      throw classifyKlaviyoError(error);
    } finally {
      options.limiter.settle(options.account, operation, takenAt);
    }
  }

  return {
    async getAccount(): Promise<{ id: string; name: string | null }> {
      const { body } = await call("get_accounts", () => accounts.getAccounts());
      const account = body.data[0];
      if (!account) throw new KlaviyoApiError("rejected", 200, "Klaviyo returned no account");
      return {
        id: account.id,
        name: account.attributes.contactInformation?.organizationName ?? null,
      };
    },

    async createEvent(event: KlaviyoEvent, backfill = false): Promise<void> {
      await call("create_event", () =>
        events.createEvent({
          data: {
            type: "event",
            attributes: {
              ...eventAttributes(event, backfill),
              profile: { data: { type: "profile", attributes: event.profile } },
            },
          },
        } as never),
      );
    },

    async bulkCreateEvents(batch: EventBatch, backfill = false): Promise<void> {
      // Written before the limiter lets it go: it then leaves as soon as its window opens.
      const body = bulkCreateEventsBody(batch, backfill);
      await call("bulk_create_events", () =>
        postWireJson(session, `${options.baseUrl}/api/event-bulk-create-jobs`, body),
      );
    },

    async upsertProfile(update: ProfileUpdate): Promise<void> {
      await call("create_or_update_profile", () =>
        profiles.createOrUpdateProfile({ data: profileResource(update) } as never),
      );
    },

    /** Starts a bulk import job (≤ 10,000 profiles, ≤ 5 MB); `listId` also adds them to a list. */
    async bulkImportProfiles(updates: ProfileUpdate[], listId?: string): Promise<string> {
      const { body } = await call("bulk_import_profiles", () =>
        profiles.bulkImportProfiles({
          data: {
            type: "profile-bulk-import-job",
            attributes: { profiles: { data: updates.map(profileResource) } },
            ...(listId
              ? { relationships: { lists: { data: [{ type: "list", id: listId }] } } }
              : {}),
          },
        } as never),
      );
      return body.data.id;
    },

    async getBulkImportJob(jobId: string): Promise<BulkImportJob> {
      const { body } = await call("get_bulk_import_profiles_job", () =>
        profiles.getBulkImportProfilesJob(jobId),
      );
      const a = body.data.attributes;
      return {
        id: body.data.id,
        status: String(a.status),
        totalCount: a.totalCount,
        completedCount: a.completedCount ?? 0,
        failedCount: a.failedCount ?? 0,
      };
    },

    /** The id of the list with this name, creating it if the account has none. */
    async ensureList(name: string): Promise<string> {
      const { body } = await call("get_lists", () =>
        lists.getLists({ filter: `equals(name,${JSON.stringify(name)})` }),
      );
      const existing = body.data[0];
      if (existing) return existing.id;
      const created = await call("create_list", () =>
        lists.createList({ data: { type: "list", attributes: { name } } } as never),
      );
      return created.body.data.id;
    },

    /**
     * One page (≤ 100, the documented maximum) of a list's members with the identifiers the app
     * matches members by; `cursor` is the previous page's `next`.
     */
    async listMembersPage(listId: string, cursor?: string): Promise<ListMembersPage> {
      const { body } = await call("get_profiles_for_list", () =>
        lists.getProfilesForList(listId, {
          fieldsProfile: ["email", "phone_number", "external_id"],
          pageSize: LIST_MEMBERS_PAGE_SIZE,
          ...(cursor ? { pageCursor: cursor } : {}),
        }),
      );
      return {
        profiles: body.data.map((profile) => ({
          id: String(profile.id),
          email: profile.attributes.email ?? null,
          phoneNumber: profile.attributes.phoneNumber ?? null,
          externalId: profile.attributes.externalId ?? null,
        })),
        next: nextCursor(body.links?.next),
      };
    },

    /**
     * Takes profiles off a list, ≤ 1,000 per request (documented). Only list membership changes:
     * Klaviyo leaves the profile's consent and subscriptions as they are.
     */
    async removeFromList(listId: string, profileIds: string[]): Promise<void> {
      for (let i = 0; i < profileIds.length; i += MAX_LIST_REMOVALS) {
        const chunk = profileIds.slice(i, i + MAX_LIST_REMOVALS);
        await call("remove_profiles_from_list", () =>
          lists.removeProfilesFromList(listId, {
            data: chunk.map((id) => ({ type: "profile", id })),
          } as never),
        );
      }
    },

    /** The profiles a finished import job could not take, with Klaviyo's reason for each. */
    async getImportErrors(jobId: string): Promise<ImportFailure[]> {
      const failures: ImportFailure[] = [];
      let cursor: string | undefined;
      do {
        const { body } = await call("get_errors_for_bulk_import_profiles_job", () =>
          profiles.getErrorsForBulkImportProfilesJob(jobId, cursor ? { pageCursor: cursor } : {}),
        );
        for (const error of body.data) {
          const payload = (error.attributes.originalPayload ?? {}) as Record<string, unknown>;
          failures.push({
            detail: error.attributes.detail,
            identity: {
              email: typeof payload.email === "string" ? payload.email : undefined,
              phoneNumber:
                typeof payload.phone_number === "string" ? payload.phone_number : undefined,
              externalId: typeof payload.external_id === "string" ? payload.external_id : undefined,
            },
          });
        }
        cursor = nextCursor(body.links?.next);
      } while (cursor);
      return failures;
    },
  };
}

export type ImportFailure = { detail: string; identity: ProfileIdentity };

/** Get Profiles for List: page[size] is at most 100. */
export const LIST_MEMBERS_PAGE_SIZE = 100;
/** Remove Profiles from List: at most 1,000 profiles per call. */
export const MAX_LIST_REMOVALS = 1000;

export type ListMember = {
  id: string;
  email: string | null;
  phoneNumber: string | null;
  externalId: string | null;
};
export type ListMembersPage = { profiles: ListMember[]; next: string | undefined };

function nextCursor(next: string | null | undefined): string | undefined {
  if (!next) return undefined;
  return new URL(next).searchParams.get("page[cursor]") ?? undefined;
}

export type KlaviyoClient = ReturnType<typeof klaviyoClient>;
