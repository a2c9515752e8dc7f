/**
 * The Omnisend stand-in in its own process for the drain benchmark, so its contract validation
 * does not share an event loop with the app being measured. Its sliding window is the scaled one
 * the parent passes (BENCH_OMNISEND_WINDOW_MS); it answers the parent's IPC questions.
 */
import { startOmnisendStandIn } from "../../sandbox/omnisend/server";

const windowMs = Number(process.env.BENCH_OMNISEND_WINDOW_MS);
const standIn = await startOmnisendStandIn({ port: 0, limit: { requests: 400, windowMs } });
const { state } = standIn;

// 100,000 parsed bodies would cost the stand-in hundreds of MB and long GC pauses mid-drain; the
// counts below need only the ids and statuses, so bodies are dropped as they are stored.
let stripped = { requests: 0, events: 0 };
setInterval(() => {
  for (; stripped.requests < state.requests.length; stripped.requests++) {
    state.requests[stripped.requests]!.body = null;
  }
  for (; stripped.events < state.events.length; stripped.events++) {
    state.events[stripped.events]!.body = {};
  }
}, 500).unref();

process.on("message", (message: { type: string }) => {
  if (message.type === "exit") process.exit(0);
  if (message.type === "reset") {
    // The next drain starts as the only one in its window; stored events stay, for the loss count.
    standIn.resetRateLimits();
    state.requests.length = 0;
    stripped = { requests: 0, events: stripped.events };
    process.send?.({ type: "reset" });
  }
  if (message.type === "stats") {
    const ids = state.events.map((e) => e.eventID);
    // The stand-in refuses (429) any request beyond its window: a count of 0 proves the app's
    // limiter kept to the limit; 202 is an accepted event.
    const byStatus: Record<string, number> = {};
    for (const r of state.requests) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    process.send?.({
      type: "stats",
      events: ids.length,
      uniqueEvents: new Set(ids).size,
      byStatus,
    });
  }
});
process.send?.({ type: "ready", url: standIn.url });
