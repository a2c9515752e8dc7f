/**
 * Runs the Klaviyo stand-in as a standalone process for local demos:
 *   npx tsx sandbox/klaviyo/main.ts        (port from KLAVIYO_STAND_IN_PORT, default 4010)
 * Then point the SDK at it: `new EventsApi(session).basePath = "http://127.0.0.1:4010"`.
 */
import { startKlaviyoStandIn } from "./server";

const port = Number(process.env.KLAVIYO_STAND_IN_PORT ?? 4010);
const standIn = await startKlaviyoStandIn({ port, host: process.env.KLAVIYO_STAND_IN_HOST });
console.info(`Klaviyo stand-in (revision 2026-07-15) listening on ${standIn.url}`);

// Log each request once it has been answered, so the demo shows what the app sent.
let logged = 0;
setInterval(() => {
  for (const r of standIn.state.requests.slice(logged)) {
    console.info(`${r.at} ${r.method} ${r.path}${r.query} -> ${r.status} (${r.auth})`);
  }
  logged = standIn.state.requests.length;
}, 250).unref();

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void standIn.close().then(() => process.exit(0));
  });
}
