// `npm run extensions:generate`: writes the app's URL (shopify.app.toml `application_url`) where
// the customer account extensions read it. Extensions run on Shopify's domains and call the app
// directly (no App Proxy there), so they must know its address at build time; `shopify app dev`
// and deploys change application_url, so run this before `shopify app deploy` (npm run deploy
// does). tests/unit checks the file matches the TOML, so a stale one fails CI.
import { readFileSync, writeFileSync } from "node:fs";
import { accountConfigSource, applicationUrl } from "./account-config";

const toml = readFileSync("shopify.app.toml", "utf8");
writeFileSync("storefront/account/app-url.generated.ts", accountConfigSource(applicationUrl(toml)));
console.info(`storefront/account/app-url.generated.ts → ${applicationUrl(toml)}`);
