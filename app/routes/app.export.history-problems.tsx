import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "~/db.server";
import { csvResponse } from "~/services/import-export/export.server";
import { historyProblemsCsv } from "~/services/history-import/report.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { authenticate } from "~/shopify.server";

const Query = z.object({ import: z.uuid() });

/** GET /app/export/history-problems?import=<id>: every line a history import could not take. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, t } = await authenticate.admin(request);
  const shop = await ensureShop(prisma, session.shop);
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return new Response("import must be a history import's id", { status: 400 });
  return csvResponse(
    `history-import-${query.data.import.slice(0, 8)}.csv`,
    historyProblemsCsv(shop.id, query.data.import, t),
  );
};
