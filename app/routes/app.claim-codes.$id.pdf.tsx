import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminShop } from "~/lib/settings/route.server";
import { batchWithCodes } from "~/services/claim-codes/batches.server";
import { batchFileName, batchPdf } from "~/services/claim-codes/downloads.server";

/** GET /app/claim-codes/:id/pdf: the batch's printable sheet of QR codes. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shopId, t } = await adminShop(request);
  const found = /^[0-9a-f-]{36}$/.test(params.id ?? "")
    ? await batchWithCodes(shopId, params.id ?? "")
    : null;
  if (!found) return new Response("Not found", { status: 404 });
  return new Response(batchPdf(found, t), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${batchFileName(found, "pdf")}"`,
      "cache-control": "no-store",
    },
  });
};
