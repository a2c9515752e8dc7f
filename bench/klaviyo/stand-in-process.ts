/**
 * The Klaviyo stand-in in its own process for the drain benchmark, so its request validation does
 * not share an event loop with the app being measured. Answers the parent's IPC questions.
 */
import { completeProfileImportJobs, startKlaviyoStandIn } from "../../sandbox/klaviyo/server";

const standIn = await startKlaviyoStandIn({ port: 0 });

process.on("message", (message: { type: string }) => {
  if (message.type === "exit") process.exit(0); // a normal exit writes --cpu-prof profiles
  if (message.type === "reset") {
    // The next drain starts as the only one in its minute; stored events stay, for the loss count.
    standIn.resetRateLimits();
    standIn.state.requests.length = 0;
    process.send?.({ type: "reset" });
  }
  if (message.type === "stats") {
    completeProfileImportJobs(standIn.state);
    const ids = standIn.state.events.map((e) => e.unique_id);
    const byOperation: Record<string, { ok: number; throttled: number; failed: number }> = {};
    const perSecond: Record<string, number[]> = {};
    const firstSecond: Record<string, number> = {};
    for (const r of standIn.state.requests) {
      const operation = r.operation ?? r.path;
      const entry = (byOperation[operation] ??= { ok: 0, throttled: 0, failed: 0 });
      if (r.status === 429) entry.throttled++;
      else if (r.status >= 400) entry.failed++;
      else {
        entry.ok++;
        const second = Date.parse(r.at) / 1000;
        const index = second - (firstSecond[operation] ??= second);
        const counts = (perSecond[operation] ??= []);
        while (counts.length <= index) counts.push(0);
        counts[index]!++;
      }
      r.body = null; // the bodies are large; the counts are what the benchmark needs
    }
    const imported = [...standIn.state.profileImportJobs.values()];
    process.send?.({
      type: "stats",
      events: ids.length,
      uniqueEvents: new Set(ids).size,
      profiles: standIn.state.profiles.size,
      importedProfiles: imported.reduce((n, job) => n + job.completed_count, 0),
      importFailures: imported.reduce((n, job) => n + job.failed_count, 0),
      byOperation,
      perSecond,
    });
  }
});
process.send?.({ type: "ready", url: standIn.url });
