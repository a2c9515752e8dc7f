// `npm run build:widget`: minifies the storefront widget's source (storefront/loyalty-widget.js)
// into the theme app extension's asset. The asset is what Shopify serves and what Theme Check's
// 10,000-byte budget counts; the source stays readable. A contract test fails when the committed
// asset is not the build of the committed source (ADR 0052).
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { transformWithEsbuild } from "vite";

export const WIDGET_SOURCE = "storefront/loyalty-widget.js";
export const WIDGET_ASSET = "extensions/loyalty-theme/assets/loyalty-widget.js";

const BANNER = `/* Built from ${WIDGET_SOURCE} by npm run build:widget; edit the source, not this file. */\n`;

/**
 * The asset's exact text for the current source: esbuild (Vite's copy, pinned by the lockfile)
 * minifies for browsers from 2020 on, keeping no comments but the banner.
 */
export async function buildWidget(source = fs.readFileSync(WIDGET_SOURCE, "utf8")) {
  const { code } = await transformWithEsbuild(source, "loyalty-widget.js", {
    minify: true,
    target: "es2020",
    legalComments: "none",
  });
  return BANNER + code;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildWidget();
  fs.writeFileSync(WIDGET_ASSET, built);
  console.info(`${WIDGET_ASSET}: ${Buffer.byteLength(built)} bytes`);
}
