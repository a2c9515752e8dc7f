import prisma from "~/db.server";
import {
  fetchProductTitles,
  fetchShopCollections,
  type ShopCollections,
} from "~/integrations/shopify/product-collections.server";
import { logger } from "~/lib/logger.server";
import { programSettings, saveProgramSection } from "~/services/program/settings.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { authenticate } from "~/shopify.server";
import type { ProgramSectionKey } from "./program-sections";

/**
 * The shop of an authenticated admin request, who is making it, their language's `t`, and the
 * library's `redirect` (which keeps an embedded page's shop and host).
 */
export async function adminShop(request: Request) {
  const { admin, session, t, redirect } = await authenticate.admin(request);
  const shop = await ensureShop(prisma, session.shop);
  return {
    shopId: shop.id,
    staff: session.onlineAccessInfo?.associated_user?.email ?? null,
    t,
    admin,
    redirect,
  };
}

/** Loader of a program settings page: the program in force, members, recompute progress. */
export async function programSectionLoader(request: Request) {
  const { shopId } = await adminShop(request);
  return { ...(await programSettings(shopId)), now: new Date().toISOString() };
}

/** Action of a program settings page: the `draft` field (JSON) saved as a new version. */
export async function programSectionAction(request: Request, section: ProgramSectionKey) {
  const { shopId, staff, t } = await adminShop(request);
  const form = await request.formData();
  return saveProgramSection(shopId, section, form.get("draft"), staff ?? "admin", t);
}

/**
 * The shop's collections for the earning page's exclusion picker, or null when Shopify could not
 * list them (the page then offers the ids field alone rather than failing to load).
 */
export async function shopCollections(request: Request): Promise<ShopCollections | null> {
  const { admin, session } = await authenticate.admin(request);
  try {
    return await fetchShopCollections(admin);
  } catch (error) {
    logger.warn("could not list collections", { shop: session.shop, error: String(error) });
    return null;
  }
}

/**
 * Titles of the products the earning rules exclude, for the picker field to name them; empty
 * when Shopify could not answer (the field then names them by id).
 */
export async function excludedProductTitles(
  request: Request,
  productIds: readonly string[],
): Promise<Record<string, string>> {
  if (productIds.length === 0) return {};
  const { admin, session } = await authenticate.admin(request);
  try {
    return await fetchProductTitles(admin, productIds);
  } catch (error) {
    logger.warn("could not read product titles", { shop: session.shop, error: String(error) });
    return {};
  }
}
