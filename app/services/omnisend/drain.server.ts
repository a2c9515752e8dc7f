import prisma from "~/db.server";
import { contactUpdate } from "~/domain/omnisend";
import { OmnisendApiError, type OmnisendClient } from "~/integrations/omnisend";
import { connectedOmnisendClient } from "./connection.server";
import { contactBuilder, recordContactSyncs, staleContacts } from "./contacts.server";
import { LANES, sendPendingEvents, ROUND_SIZE, type Outcome } from "./event-delivery.server";
import { recordOmnisendFailure, recordOmnisendSuccess, type Pause } from "./pause.server";

/**
 * How long one drain keeps sending before it hands over to a fresh job. At Omnisend's 400 requests
 * a minute a large backlog takes hours; a bounded job lets a deploy or a restart stop it cleanly.
 */
const DRAIN_BUDGET_MS = 5 * 60_000;

export type OmnisendDrainReport =
  | { state: "not_connected" }
  | { state: "paused"; pause: Pause; events: Outcome; contacts: number }
  | { state: "done" | "more"; events: Outcome; contacts: number };

/**
 * Everything a shop owes its Omnisend brand, in order: pending events (each refreshing its
 * contact), then contacts whose properties changed without an event. Stops at the first push-back
 * (429, outage, refused key) and says until when; the worker comes back then. "more" means the
 * time budget ran out with work left: the worker queues the next drain at once.
 *
 * `client` replaces the connection's own (the process-wide limiter at Omnisend's limit): the drain
 * benchmark passes one whose limiter and stand-in share a time-scaled window.
 */
export async function drainOmnisend(
  shopId: string,
  options: { now?: () => Date; client?: OmnisendClient } = {},
): Promise<OmnisendDrainReport> {
  const now = options.now ?? (() => new Date());
  const connection = await prisma.omnisendConnection.findUnique({ where: { shopId } });
  if (!connection || connection.status !== "connected") return { state: "not_connected" };
  const client = options.client ?? connectedOmnisendClient(connection);
  if (!client) return { state: "not_connected" };
  if (connection.pausedUntil && connection.pausedUntil > now()) {
    const pause = { until: connection.pausedUntil, reason: "waiting" };
    return { state: "paused", pause, events: { delivered: 0, failed: 0, skipped: 0 }, contacts: 0 };
  }
  const deadline = now().getTime() + DRAIN_BUDGET_MS;
  const build = await contactBuilder(shopId, now);
  const events: Outcome = { delivered: 0, failed: 0, skipped: 0 };
  let contacts = 0;
  const paused = async (failure: OmnisendApiError, unsent: string[]) => {
    const pause = await recordOmnisendFailure(shopId, failure, now(), unsent);
    return { state: "paused" as const, pause, events, contacts };
  };
  const sent = await sendPendingEvents(shopId, client, build, events, now, deadline);
  if (sent === "more") return { state: "more", events, contacts };
  if (sent) return paused(sent.failure, sent.unsent);
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    // Re-read each round: "Sync now" during a long drain widens what is stale.
    const fresh = await prisma.omnisendConnection.findUniqueOrThrow({ where: { shopId } });
    const members = await staleContacts(fresh, after, ROUND_SIZE);
    if (members.length === 0) break;
    after = members.at(-1)!.id;
    const result = await syncContacts(shopId, client, await build(members));
    contacts += result.synced;
    if (result.failure) return paused(result.failure, []);
    if (now().getTime() > deadline) return { state: "more", events, contacts };
  }
  if (events.delivered + contacts > 0) await recordOmnisendSuccess(shopId);
  return { state: "done", events, contacts };
}

/**
 * Sends contacts whose properties are behind, a request each (Omnisend has no bulk contact
 * import). A contact Omnisend refuses is marked failed with its reason and retried when the member
 * changes again; a member without email or phone is marked unreachable.
 */
async function syncContacts(
  shopId: string,
  client: OmnisendClient,
  states: Awaited<ReturnType<Awaited<ReturnType<typeof contactBuilder>>>>,
): Promise<{ synced: number; failure: OmnisendApiError | null }> {
  const queue = [...states.values()];
  const outcomes: { memberId: string; version: Date; state: string; error?: string }[] = [];
  let failure: unknown = null;
  let synced = 0;
  const lane = async () => {
    while (failure === null && queue.length > 0) {
      const state = queue.shift()!;
      const base = { memberId: state.member.id, version: state.version };
      if (!state.identity) {
        outcomes.push({ ...base, state: "unreachable", error: "No email or phone" });
        continue;
      }
      try {
        await client.upsertContact(contactUpdate(state.identity, state.customProperties));
        outcomes.push({ ...base, state: "synced" });
        synced++;
      } catch (error) {
        if (error instanceof OmnisendApiError && error.kind === "rejected") {
          outcomes.push({ ...base, state: "failed", error: error.detail });
        } else failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  await recordContactSyncs(shopId, outcomes);
  if (failure !== null && !(failure instanceof OmnisendApiError)) throw failure;
  return { synced, failure: failure as OmnisendApiError | null };
}
