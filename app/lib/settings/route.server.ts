import prisma from "~/db.server";
import {
  fetchResourceTitles,
  type PickedResource,
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
 * Titles of the products or collections the earning rules exclude, for the picker fields to name
 * them; empty when Shopify could not answer (the fields then name them by id).
 */
export async function excludedTitles(
  request: Request,
  resource: PickedResource,
  ids: readonly string[],
): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const { admin, session } = await authenticate.admin(request);
  try {
    return await fetchResourceTitles(admin, resource, ids);
  } catch (error) {
    logger.warn("could not read titles of excluded resources", {
      shop: session.shop,
      resource,
      error: String(error),
    });
    return {};
  }
}
