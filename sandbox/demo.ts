// `npm run demo`: the unchanged app against local stand-ins for a Shopify store, a Klaviyo
// account and an Omnisend brand, on the embedded database. Nothing leaves the machine. See README "Sandbox".
import { startSandbox } from "./sandbox";

const sandbox = await startSandbox({
  appPort: Number(process.env.PORT ?? 3000),
  shopifyPort: Number(process.env.SHOPIFY_STANDIN_PORT ?? 3001),
  klaviyoPort: Number(process.env.KLAVIYO_STANDIN_PORT ?? 3002),
  omnisendPort: Number(process.env.OMNISEND_STANDIN_PORT ?? 3003),
  keepData: process.env.DEMO_KEEP_DATA === "1",
  log: (line) => console.info(line),
});

console.info(`
  Loyalty sandbox is running (${sandbox.startupMs} ms)

  Shopify admin with the app:       ${sandbox.shopifyAdminUrl}
  The app alone (as admin frames it): ${sandbox.adminUrl}
  Simulated store (send webhooks):  ${sandbox.storeUrl}
  Storefront with the widget:       ${sandbox.storefrontUrl}
  Klaviyo stand-in API:             ${sandbox.klaviyoUrl}
  Omnisend stand-in API:            ${sandbox.omnisendUrl} (any API key connects)

  Data: ${sandbox.dataDir} (reset on each start; DEMO_KEEP_DATA=1 keeps it). Ctrl+C stops.
`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void sandbox.stop().then(() => process.exit(0)));
}
