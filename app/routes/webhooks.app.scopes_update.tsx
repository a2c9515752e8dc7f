import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticate } from "~/shopify.server";
import { updateGrantedScopes } from "~/services/shops/installation.server";

const Payload = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await authenticate.webhook(request);
  const parsed = Payload.safeParse(payload);
  if (!parsed.success)
    return new Response("payload.current must be a list of scopes", { status: 400 });
  await updateGrantedScopes(shop, parsed.data.current);
  return new Response(null, { status: 200 });
};
