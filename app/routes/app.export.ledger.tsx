import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { csvResponse, ledgerCsv } from "~/services/import-export/export.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { authenticate } from "~/shopify.server";

/** GET /app/export/ledger: the shop's points ledger as CSV, oldest first, streamed. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(prisma, session.shop);
  return csvResponse(`ledger-${today()}.csv`, ledgerCsv(shop.id));
};

const today = () => new Date().toISOString().slice(0, 10);
