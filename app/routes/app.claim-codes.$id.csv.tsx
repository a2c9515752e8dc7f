import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminShop } from "~/lib/settings/route.server";
import { batchWithCodes } from "~/services/claim-codes/batches.server";
import { batchCsv, batchFileName } from "~/services/claim-codes/downloads.server";

/** GET /app/claim-codes/:id/csv: the batch's codes and claim URLs as CSV. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shopId } = await adminShop(request);
  const found = /^[0-9a-f-]{36}$/.test(params.id ?? "")
    ? await batchWithCodes(shopId, params.id ?? "")
    : null;
  if (!found) return new Response("Not found", { status: 404 });
  return new Response(batchCsv(found), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${batchFileName(found, "csv")}"`,
      "cache-control": "no-store",
    },
  });
};
