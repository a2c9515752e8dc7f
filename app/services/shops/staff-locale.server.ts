import prisma from "~/db.server";
import { toLocale, type Locale } from "~/lib/i18n";
import { ensureShop } from "./ensure.server";

/** How long a remembered language is trusted before it is read again (another instance may
 * have seen the staff member change it). */
const REMEMBERED_FOR_MS = 60_000;
const remembered = new Map<string, { locale: Locale; until: number }>();

/**
 * The language of a staff member's admin. Shopify admin says it (`locale`) when it opens the
 * app; the app's own requests after that (navigations, form posts) carry none, so it is kept per
 * shop and staff member and read back for them. English until admin has said otherwise.
 */
export async function staffLocale(
  request: Request,
  shopDomain: string,
  userId: string | undefined,
): Promise<Locale> {
  const said = new URL(request.url).searchParams.get("locale");
  if (!userId) return toLocale(said);
  const cacheKey = `${shopDomain} ${userId}`;
  const cached = remembered.get(cacheKey);
  if (said !== null) {
    const locale = toLocale(said);
    if (cached?.locale !== locale) await rememberLocale(shopDomain, userId, locale);
    remembered.set(cacheKey, { locale, until: Date.now() + REMEMBERED_FOR_MS });
    return locale;
  }
  if (cached && cached.until > Date.now()) return cached.locale;
  const row = await prisma.staffLocale.findFirst({
    where: { userId, shop: { domain: shopDomain } },
    select: { locale: true },
  });
  const locale = toLocale(row?.locale);
  remembered.set(cacheKey, { locale, until: Date.now() + REMEMBERED_FOR_MS });
  return locale;
}

async function rememberLocale(shopDomain: string, userId: string, locale: Locale) {
  const { id: shopId } = await ensureShop(prisma, shopDomain);
  await prisma.staffLocale.upsert({
    where: { shopId_userId: { shopId, userId } },
    create: { shopId, userId, locale },
    update: { locale },
  });
}
