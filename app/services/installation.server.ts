import prisma from "~/db.server";

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
