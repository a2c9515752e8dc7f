import { runAdminQuery, type AdminGraphql } from "./admin-client.server";

/**
 * The app's web pixel on the shop (extensions/loyalty-pixel, ADR 0071): created with the settings
 * its extension declares, or updated when it exists. Shopify runs the pixel only once a web pixel
 * record holds settings that match the extension's definition.
 */
export type WebPixelSettings = { shopId: string; endpoint: string };

const CURRENT = `#graphql
  query LoyaltyWebPixel {
    webPixel {
      id
      settings
    }
  }`;

const CREATE = `#graphql
  mutation LoyaltyWebPixelCreate($webPixel: WebPixelInput!) {
    webPixelCreate(webPixel: $webPixel) {
      webPixel {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }`;

const UPDATE = `#graphql
  mutation LoyaltyWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
    webPixelUpdate(id: $id, webPixel: $webPixel) {
      webPixel {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }`;

type UserError = { field: string[] | null; message: string; code: string | null };
type Result = { webPixel: { id: string } | null; userErrors: UserError[] };

/** Shopify refused the pixel's settings (userErrors): the pixel does not run. */
export class WebPixelRefused extends Error {
  constructor(readonly errors: UserError[]) {
    super(`web pixel refused: ${errors.map((e) => e.message).join("; ")}`);
    this.name = "WebPixelRefused";
  }
}

/** Creates or updates the app's web pixel with these settings; returns its id. */
export async function activateWebPixel(
  admin: AdminGraphql,
  settings: WebPixelSettings,
): Promise<string> {
  const webPixel = { settings: JSON.stringify(settings) };
  const { webPixel: current } = await runAdminQuery<{ webPixel: { id: string } | null }>(
    admin,
    "LoyaltyWebPixel",
    CURRENT,
  );
  const result = current
    ? (
        await runAdminQuery<{ webPixelUpdate: Result }>(admin, "LoyaltyWebPixelUpdate", UPDATE, {
          id: current.id,
          webPixel,
        })
      ).webPixelUpdate
    : (
        await runAdminQuery<{ webPixelCreate: Result }>(admin, "LoyaltyWebPixelCreate", CREATE, {
          webPixel,
        })
      ).webPixelCreate;
  if (result.userErrors.length > 0 || !result.webPixel)
    throw new WebPixelRefused(result.userErrors);
  return result.webPixel.id;
}
