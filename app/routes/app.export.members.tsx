import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { csvResponse, memberCsv } from "~/services/import-export/export.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { authenticate } from "~/shopify.server";

/** GET /app/export/members: every member of the shop as CSV, streamed. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(prisma, session.shop);
  return csvResponse(`members-${today()}.csv`, memberCsv(shop.id));
};

const today = () => new Date().toISOString().slice(0, 10);
