/**
 * Create or Update Profile, Bulk Import Profiles (with its job and import-error endpoints) and
 * Bulk Subscribe Profiles.
 */
import type { AccountState } from "./account-state";
import type { ApiError } from "./jsonapi";
import { HttpError, copyJson, invalidInput } from "./jsonapi";
import type { ConsentRecord, JsonObject, ProfileImportJob } from "./model";
import { asObject, checkProfileResource, toApiError, writeProfile } from "./profiles";
import type { RouteContext, RouteResult } from "./routes";
import {
  importErrorResource,
  importJobResource,
  listResource,
  profileResource,
} from "./serializers";

export const MAX_IMPORT_PROFILES = 10_000;
export const MAX_IMPORT_PROFILE_BYTES = 100 * 1024;
export const MAX_SUBSCRIBE_PROFILES = 1000;
const JOB_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function notFound(pointer: string, detail: string): ApiError {
  return { status: 404, code: "not_found", title: "Not found.", detail, pointer };
}

function requireLists(state: AccountState, ids: string[], pointer: (i: number) => string) {
  const missing = ids.flatMap((id, i) =>
    state.lists.has(id) ? [] : [notFound(pointer(i), `A list with id ${id} does not exist.`)],
  );
  if (missing.length > 0) throw new HttpError(missing);
}

export function createOrUpdateProfile(ctx: RouteContext): RouteResult {
  const resource = asObject(ctx.body.data);
  const result = writeProfile(ctx.state, resource, { pointer: "/data", conflicts: "reject" });
  if (!result.ok) throw new HttpError([toApiError(result)]);
  const extra = new Set((ctx.url.searchParams.get("additional-fields[profile]") ?? "").split(","));
  const data = profileResource(result.profile, ctx.base, extra);
  return { status: result.created ? 201 : 200, body: { data, links: asObject(data.links) } };
}

export function bulkImportProfiles(ctx: RouteContext): RouteResult {
  const data = asObject(ctx.body.data);
  const profiles = asArray(asObject(asObject(data.attributes).profiles).data).map(asObject);
  const pointer = "/data/attributes/profiles/data";
  if (profiles.length === 0 || profiles.length > MAX_IMPORT_PROFILES) {
    throw new HttpError([
      invalidInput(
        pointer,
        `Accepts 1 to ${MAX_IMPORT_PROFILES} profiles per request (got ${profiles.length}).`,
      ),
    ]);
  }
  const listIds = asArray(asObject(asObject(data.relationships).lists).data).map((l) =>
    String(asObject(l).id),
  );
  requireLists(ctx.state, listIds, (i) => `/data/relationships/lists/data/${i}/id`);

  const job: ProfileImportJob = {
    id: ctx.state.newUlid(),
    status: "queued",
    created_at: ctx.state.isoNow(),
    started_at: null,
    completed_at: null,
    expires_at: null,
    total_count: profiles.length,
    completed_count: 0,
    failed_count: 0,
    list_ids: listIds,
    pending: profiles.map(copyJson),
    profile_ids: [],
    errors: [],
  };
  ctx.state.profileImportJobs.set(job.id, job);
  const resource = importJobResource(job, ctx.base);
  return { status: 202, body: { data: resource, links: asObject(resource.links) } };
}

/** Moves a job one step: queued → processing → complete. Profiles are written on completion. */
export function advanceImportJob(state: AccountState, job: ProfileImportJob): void {
  if (job.status === "queued") {
    job.status = "processing";
    job.started_at = state.isoNow();
    return;
  }
  if (job.status !== "processing") return;
  job.pending.forEach((resource, i) => {
    const pointer = `/data/attributes/profiles/data/${i}`;
    const tooBig = Buffer.byteLength(JSON.stringify(resource)) > MAX_IMPORT_PROFILE_BYTES;
    const result: ReturnType<typeof writeProfile> = tooBig
      ? {
          ok: false,
          status: 400,
          code: "invalid",
          title: "Invalid input.",
          pointer,
          detail: "The maximum allowed payload size per-profile is 100KB.",
        }
      : writeProfile(state, resource, { pointer, conflicts: "reject" });
    if (result.ok) {
      job.completed_count++;
      job.profile_ids.push(result.profile.id);
      for (const id of job.list_ids) state.addToList(id, result.profile.id);
    } else {
      job.failed_count++;
      job.errors.push({
        id: state.newUlid(),
        code: result.code,
        title: result.title,
        detail: result.detail,
        pointer: result.pointer,
        original_payload: copyJson(asObject(resource.attributes)),
      });
    }
  });
  job.pending = [];
  job.status = "complete";
  job.completed_at = state.isoNow();
  job.expires_at = new Date(state.clock() + JOB_RETENTION_MS).toISOString();
}

/** Finishes every unfinished import job, for demos that do not poll. */
export function completeProfileImportJobs(state: AccountState): void {
  for (const job of state.profileImportJobs.values()) {
    while (job.status === "queued" || job.status === "processing") advanceImportJob(state, job);
  }
}

function findJob(ctx: RouteContext, param: string): ProfileImportJob {
  const id = ctx.params[param] ?? "";
  const job = ctx.state.profileImportJobs.get(id);
  if (!job) {
    const detail = `A job with id ${id} does not exist.`;
    throw new HttpError([
      { status: 404, code: "not_found", title: "Not found.", detail, parameter: param },
    ]);
  }
  return job;
}

export function getBulkImportProfilesJob(ctx: RouteContext): RouteResult {
  const job = findJob(ctx, "job_id");
  // Each poll moves the job on, so a client polling loop observes every status in order.
  advanceImportJob(ctx.state, job);
  const resource = importJobResource(job, ctx.base);
  const body: JsonObject = { data: resource, links: asObject(resource.links) };
  if ((ctx.url.searchParams.get("include") ?? "").split(",").includes("lists")) {
    body.included = job.list_ids.flatMap((id) => {
      const list = ctx.state.lists.get(id);
      return list ? [listResource(list, ctx.base)] : [];
    });
  }
  return { status: 200, body };
}

export function getImportJobErrors(ctx: RouteContext): RouteResult {
  const job = findJob(ctx, "id");
  return {
    status: 200,
    body: {
      data: job.errors.map(importErrorResource),
      links: { self: `${ctx.base}/api/profile-bulk-import-jobs/${job.id}/import-errors/` },
    },
  };
}

const CHANNEL_IDENTIFIER: Record<string, "email" | "phone_number"> = {
  email: "email",
  sms: "phone_number",
  whatsapp: "phone_number",
  push: "email",
};

export function bulkSubscribeProfiles(ctx: RouteContext): RouteResult {
  const data = asObject(ctx.body.data);
  const attrs = asObject(data.attributes);
  const profiles = asArray(asObject(attrs.profiles).data).map(asObject);
  const pointer = "/data/attributes/profiles/data";
  if (profiles.length === 0 || profiles.length > MAX_SUBSCRIBE_PROFILES) {
    throw new HttpError([
      invalidInput(
        pointer,
        `Accepts 1 to ${MAX_SUBSCRIBE_PROFILES} profiles per request (got ${profiles.length}).`,
      ),
    ]);
  }
  const listData = asObject(asObject(asObject(data.relationships).list).data);
  const listId = typeof listData.id === "string" ? listData.id : null;
  if (listId !== null) requireLists(ctx.state, [listId], () => "/data/relationships/list/data/id");
  const historical = attrs.historical_import === true;
  const customSource = typeof attrs.custom_source === "string" ? attrs.custom_source : null;
  const now = ctx.state.clock();

  const errors: ApiError[] = [];
  profiles.forEach((profile, i) => {
    const p = `${pointer}/${i}`;
    const problem = checkProfileResource(profile, p);
    if (problem) errors.push(toApiError(problem));
    const pAttrs = asObject(profile.attributes);
    for (const [channel, kinds] of Object.entries(asObject(pAttrs.subscriptions))) {
      const identifier = CHANNEL_IDENTIFIER[channel] ?? "email";
      if (kinds !== null && typeof pAttrs[identifier] !== "string") {
        errors.push(
          invalidInput(
            `${p}/attributes/${identifier}`,
            `'${identifier}' is required to subscribe to ${channel}.`,
          ),
        );
      }
      for (const [kind, params] of Object.entries(asObject(kinds))) {
        const at = asObject(params).consented_at;
        const atPointer = `${p}/attributes/subscriptions/${channel}/${kind}/consented_at`;
        if (historical && (typeof at !== "string" || !(Date.parse(at) <= now))) {
          errors.push(
            invalidInput(
              atPointer,
              "consented_at is required and must be in the past when historical_import is true.",
            ),
          );
        }
      }
    }
  });
  if (errors.length > 0) throw new HttpError(errors);

  const profileIds: string[] = [];
  for (const profile of profiles) {
    const pAttrs = asObject(profile.attributes);
    // Only identifiers are written here; consent is recorded separately below.
    const identityAttrs: JsonObject = {};
    for (const key of ["email", "phone_number"] as const) {
      const value = pAttrs[key];
      if (typeof value === "string") identityAttrs[key] = value;
    }
    const identity: JsonObject = { type: "profile", attributes: identityAttrs };
    if (typeof profile.id === "string") identity.id = profile.id;
    const written = writeProfile(ctx.state, identity, { pointer, conflicts: "ignore" });
    if (!written.ok) continue;
    for (const [channel, kinds] of Object.entries(asObject(pAttrs.subscriptions))) {
      for (const [kind, params] of Object.entries(asObject(kinds))) {
        const at = asObject(params).consented_at;
        const record: ConsentRecord = {
          consent: "SUBSCRIBED",
          consented_at: typeof at === "string" ? at : ctx.state.isoNow(),
          method: "API",
          custom_source: customSource,
          list_id: listId,
        };
        written.profile.subscriptions[`${channel}.${kind}`] = record;
      }
    }
    if (listId !== null) ctx.state.addToList(listId, written.profile.id);
    profileIds.push(written.profile.id);
  }
  ctx.state.subscriptionJobs.push({
    id: ctx.state.newUlid(),
    received_at: ctx.state.isoNow(),
    list_id: listId,
    profile_ids: profileIds,
    custom_source: customSource,
    historical_import: historical,
  });
  return { status: 202 };
}
