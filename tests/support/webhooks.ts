import type { ActionFunctionArgs } from "@remix-run/node";
import { signedWebhookRequest, type WebhookDeliveryOptions } from "../../sandbox/shopify/signing";

export const TEST_SHOP = "test-shop.myshopify.com";
export const APP_URL = process.env.SHOPIFY_APP_URL ?? "https://loyalty-app.test";
export const API_SECRET = process.env.SHOPIFY_API_SECRET ?? "sandbox-loyalty-api-secret";

type Action = (args: ActionFunctionArgs) => Promise<Response> | Response;

/** Calls a route's action the way Remix does, turning a thrown Response into the answer. */
export async function callAction(action: Action, request: Request): Promise<Response> {
  try {
    return await action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export function webhook(
  path: string,
  topic: string,
  payload: unknown,
  overrides: Partial<WebhookDeliveryOptions> = {},
) {
  return signedWebhookRequest({
    appUrl: APP_URL,
    path,
    topic,
    shop: TEST_SHOP,
    payload,
    secret: API_SECRET,
    ...overrides,
  });
}
