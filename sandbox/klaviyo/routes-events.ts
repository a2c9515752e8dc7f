/**
 * Create Event and Bulk Create Events. Both answer 202 with no body and (here) apply the events
 * at once; Klaviyo processes them asynchronously, but nothing observable through the endpoints
 * the app uses depends on that delay.
 */
import type { AccountState } from "./account-state";
import { toKlaviyoTime } from "./account-state";
import { checkEventAttributes, effectiveUniqueId, eventTimeMs, metricName } from "./event-rules";
import type { ApiError } from "./jsonapi";
import { HttpError, copyJson, invalidInput } from "./jsonapi";
import type { JsonObject, MetricIntegration } from "./model";
import {
  asObject,
  checkProfileIdKnown,
  checkProfileResource,
  profileIdentityKey,
  toApiError,
  writeProfile,
} from "./profiles";
import type { RouteContext, RouteResult } from "./routes";

export const MAX_BULK_EVENTS = 1000;

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function storeEvent(
  state: AccountState,
  profileId: string,
  attrs: JsonObject,
  integration: MetricIntegration,
  backfill: boolean,
): void {
  const metric = state.ensureMetric(metricName(attrs), integration);
  const time = eventTimeMs(attrs, state.clock()) ?? state.clock();
  state.addEvent({
    metric_id: metric.id,
    metric_name: metric.name,
    profile_id: profileId,
    properties: copyJson(asObject(attrs.properties)),
    time: toKlaviyoTime(time),
    value: typeof attrs.value === "number" ? attrs.value : null,
    value_currency: typeof attrs.value_currency === "string" ? attrs.value_currency : null,
    unique_id: effectiveUniqueId(attrs, time),
    backfill: backfill || attrs.backfill === true,
  });
}

export function createEvent(ctx: RouteContext): RouteResult {
  const attrs = asObject(asObject(ctx.body.data).attributes);
  const profilePointer = "/data/attributes/profile/data";
  const profile = asObject(asObject(attrs.profile).data);
  const errors = checkEventAttributes(attrs, "/data/attributes", ctx.state.clock());
  const profileProblem =
    checkProfileResource(profile, profilePointer) ??
    checkProfileIdKnown(ctx.state, profile, profilePointer);
  if (profileProblem) errors.push(toApiError(profileProblem));
  if (errors.length > 0) throw new HttpError(errors);

  const written = writeProfile(ctx.state, profile, {
    pointer: profilePointer,
    conflicts: "ignore",
  });
  if (!written.ok) throw new HttpError([toApiError(written)]);
  storeEvent(ctx.state, written.profile.id, attrs, ctx.integration, false);
  return { status: 202 };
}

export function bulkCreateEvents(ctx: RouteContext): RouteResult {
  const attrs = asObject(asObject(ctx.body.data).attributes);
  const listPointer = "/data/attributes/events-bulk-create/data";
  const entries = asArray(asObject(attrs["events-bulk-create"]).data).map(asObject);
  const total = entries.reduce(
    (n, e) => n + asArray(asObject(asObject(e.attributes).events).data).length,
    0,
  );
  if (total > MAX_BULK_EVENTS) {
    throw new HttpError([
      invalidInput(
        listPointer,
        `Accepts up to ${MAX_BULK_EVENTS} events per request (got ${total}).`,
      ),
    ]);
  }

  // Validate the whole batch before writing anything: a bad batch must leave no trace.
  const errors: ApiError[] = [];
  const seen = new Set<string>();
  const now = ctx.state.clock();
  entries.forEach((entry, i) => {
    const entryAttrs = asObject(entry.attributes);
    const profile = asObject(asObject(entryAttrs.profile).data);
    const profilePointer = `${listPointer}/${i}/attributes/profile/data`;
    const profileProblem =
      checkProfileResource(profile, profilePointer) ??
      checkProfileIdKnown(ctx.state, profile, profilePointer);
    if (profileProblem) errors.push(toApiError(profileProblem));
    const profileKey = profileIdentityKey(ctx.state, profile);
    asArray(asObject(entryAttrs.events).data).forEach((raw, j) => {
      const pointer = `${listPointer}/${i}/attributes/events/data/${j}/attributes`;
      const eventAttrs = asObject(asObject(raw).attributes);
      errors.push(...checkEventAttributes(eventAttrs, pointer, now));
      const uniqueId = eventAttrs.unique_id;
      if (typeof uniqueId !== "string" || uniqueId === "") return;
      const key = JSON.stringify([profileKey, metricName(eventAttrs), uniqueId]);
      if (seen.has(key)) {
        errors.push(
          invalidInput(
            `${pointer}/unique_id`,
            `unique_id '${uniqueId}' is repeated for the same profile and metric; no events were processed.`,
          ),
        );
      }
      seen.add(key);
    });
  });
  if (errors.length > 0) throw new HttpError(errors);

  for (const entry of entries) {
    const entryAttrs = asObject(entry.attributes);
    const profile = asObject(asObject(entryAttrs.profile).data);
    const written = writeProfile(ctx.state, profile, { pointer: listPointer, conflicts: "ignore" });
    if (!written.ok) continue;
    for (const raw of asArray(asObject(entryAttrs.events).data)) {
      const eventAttrs = asObject(asObject(raw).attributes);
      storeEvent(
        ctx.state,
        written.profile.id,
        eventAttrs,
        ctx.integration,
        entryAttrs.backfill === true,
      );
    }
  }
  ctx.state.eventBulkJobs.push({
    id: ctx.state.newUlid(),
    received_at: ctx.state.isoNow(),
    event_count: total,
  });
  return { status: 202 };
}
