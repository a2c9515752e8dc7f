import prisma from "~/db.server";
import { getBoss } from "~/jobs/queues/boss.server";
import { queueStorefrontPublish } from "~/jobs/queues/send.server";
import type { ShopOverview } from "~/integrations/shopify/shop.server";
import { ensureShop } from "./ensure.server";

/** After install or re-auth: the shop row, active again, with Shopify's currency, time zone and country. */
export async function recordInstallation(shopDomain: string, overview: ShopOverview) {
  // The job runtime must be up before the transaction: on PGlite (one connection) its start-up
  // queries would wait behind the transaction that waits for them, until Prisma's 5 s timeout.
  await getBoss();
  await prisma.$transaction(async (tx) => {
    const shop = await ensureShop(tx, shopDomain);
    await tx.shop.update({
      where: { id: shop.id },
      data: {
        currency: overview.currencyCode,
        timeZone: overview.ianaTimezone,
        countryCode: overview.billingAddress?.countryCodeV2 ?? null,
        ...(shop.uninstalledAt ? { uninstalledAt: null, installedAt: new Date() } : {}),
      },
    });
    // The theme extension needs the program metafield before the first storefront view.
    await queueStorefrontPublish(tx, shop.id);
  });
}

/** app/uninstalled: the tokens are dead, so sessions go; shop data stays until shop/redact (48 h). */
export async function markUninstalled(shopDomain: string) {
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop: shopDomain } }),
    prisma.shop.updateMany({
      where: { domain: shopDomain, uninstalledAt: null },
      data: { uninstalledAt: new Date() },
    }),
  ]);
}

/** app/scopes_update: keep the stored sessions' scope in step with what the merchant granted. */
export async function updateGrantedScopes(shopDomain: string, scopes: string[]) {
  await prisma.session.updateMany({
    where: { shop: shopDomain },
    data: { scope: scopes.join(",") },
  });
}
