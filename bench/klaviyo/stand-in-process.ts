/**
 * The Klaviyo stand-in in its own process for the drain benchmark, so its request validation does
 * not share an event loop with the app being measured. Answers the parent's IPC questions.
 */
import { completeProfileImportJobs, startKlaviyoStandIn } from "../../sandbox/klaviyo/server";

const standIn = await startKlaviyoStandIn({ port: 0 });

process.on("message", (message: { type: string }) => {
  if (message.type === "exit") process.exit(0); // a normal exit writes --cpu-prof profiles
  if (message.type === "stats") {
    completeProfileImportJobs(standIn.state);
    const ids = standIn.state.events.map((e) => e.unique_id);
    const byOperation: Record<string, { ok: number; throttled: number; failed: number }> = {};
    for (const r of standIn.state.requests) {
      const entry = (byOperation[r.operation ?? r.path] ??= { ok: 0, throttled: 0, failed: 0 });
      if (r.status === 429) entry.throttled++;
      else if (r.status >= 400) entry.failed++;
      else entry.ok++;
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
    });
  }
});
process.send?.({ type: "ready", url: standIn.url });
