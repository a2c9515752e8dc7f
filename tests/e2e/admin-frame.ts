import type { FrameLocator, Page } from "playwright-core";
import type { Sandbox } from "./sandbox-fixture";

const BONUSES = { path: "/app/settings/bonuses", heading: "Bonuses & birthdays" };

/**
 * The app's page inside the stand-in Shopify admin, as a merchant opens it: the admin frames the
 * app, so a reload of `page` is a real reload with a fresh session token.
 */
export async function openInShopifyAdmin(
  page: Page,
  sandbox: Sandbox,
  { path, heading } = BONUSES,
): Promise<FrameLocator> {
  await page.goto(`${sandbox.shopifyAdminUrl}${path}`, { waitUntil: "networkidle" });
  return appFrameShowing(page, heading);
}

/** The app's frame once its page shows `heading` (after a navigation or a reload). */
export async function appFrameShowing(
  page: Page,
  heading = BONUSES.heading,
): Promise<FrameLocator> {
  const app = page.frameLocator('iframe[name="app-iframe"]');
  await app.getByRole("heading", { level: 1, name: heading }).first().waitFor();
  return app;
}

/** The shop's newest program version, as saved (what a reload must show). */
export async function latestProgram(sandbox: Sandbox) {
  const { default: prisma } = await import("~/db.server");
  return prisma.programVersion.findFirstOrThrow({
    where: { shop: { domain: sandbox.shopify.store.shop.domain } },
    orderBy: { version: "desc" },
  });
}
