/**
 * Runs the Omnisend stand-in as a standalone process for local demos:
 *   npx tsx sandbox/omnisend/main.ts        (port from OMNISEND_STAND_IN_PORT, default 4020)
 * Then call `${url}/events` and `${url}/contacts` with `Authorization: Omnisend-API-Key <any key>`
 * and `Omnisend-Version: 2026-03-15`.
 */
import { startOmnisendStandIn } from "./server";

const port = Number(process.env.OMNISEND_STAND_IN_PORT ?? 4020);
const standIn = await startOmnisendStandIn({ port, host: process.env.OMNISEND_STAND_IN_HOST });
console.info(`Omnisend stand-in (version 2026-03-15) listening on ${standIn.url}`);

// Log each request once it has been answered, so the demo shows what the app sent.
let logged = 0;
setInterval(() => {
  for (const r of standIn.state.requests.slice(logged)) {
    console.info(`${r.at} ${r.method} ${r.path}${r.query} -> ${r.status}`);
  }
  logged = standIn.state.requests.length;
}, 250).unref();

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void standIn.close().then(() => process.exit(0));
  });
}
