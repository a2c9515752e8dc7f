import prisma from "~/db.server";
import { programSettings, saveProgramSection } from "~/services/program-settings.server";
import { ensureShop } from "~/services/shops.server";
import { authenticate } from "~/shopify.server";
import type { ProgramSectionKey } from "./program-sections";

/** The shop of an authenticated admin request, and who is making it. */
export async function adminShop(request: Request) {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(prisma, session.shop);
  return { shopId: shop.id, staff: session.onlineAccessInfo?.associated_user?.email ?? null };
}

/** Loader of a program settings page: the program in force, members, recompute progress. */
export async function programSectionLoader(request: Request) {
  const { shopId } = await adminShop(request);
  return { ...(await programSettings(shopId)), now: new Date().toISOString() };
}

/** Action of a program settings page: the `draft` field (JSON) saved as a new version. */
export async function programSectionAction(request: Request, section: ProgramSectionKey) {
  const { shopId, staff } = await adminShop(request);
  const form = await request.formData();
  return saveProgramSection(shopId, section, form.get("draft"), staff ?? "admin");
}
