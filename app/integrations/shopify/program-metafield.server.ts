import type { ProgramSummary } from "~/domain/storefront";
import { runAdminQuery, type AdminGraphql } from "./admin-client.server";

/**
 * The program summary as the app-owned shop metafield `$app:loyalty.program` (type json), which the
 * theme extension reads in Liquid as `app.metafields.loyalty.program` (docs/decisions/0026).
 * `$app` makes the namespace `app--<client id>`: only this app can write it, and the app's own
 * theme blocks can read it without a storefront API call.
 */
export const PROGRAM_METAFIELD = { namespace: "$app:loyalty", key: "program" } as const;

const SHOP_ID = `#graphql
  query ProgramMetafieldOwner {
    shop {
      id
    }
  }`;

const SET_PROGRAM = `#graphql
  mutation ProgramMetafieldSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        namespace
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }`;

/** Shopify refused the metafield (userErrors): nothing was written. */
export class MetafieldRefused extends Error {
  constructor(readonly errors: { field: string[] | null; message: string; code: string | null }[]) {
    super(`metafieldsSet refused: ${errors.map((e) => e.message).join("; ")}`);
    this.name = "MetafieldRefused";
  }
}

export async function publishProgramMetafield(admin: AdminGraphql, summary: ProgramSummary) {
  const { shop } = await runAdminQuery<{ shop: { id: string } }>(
    admin,
    "ProgramMetafieldOwner",
    SHOP_ID,
  );
  const data = await runAdminQuery<{
    metafieldsSet: {
      metafields: { id: string }[] | null;
      userErrors: { field: string[] | null; message: string; code: string | null }[];
    };
  }>(admin, "ProgramMetafieldSet", SET_PROGRAM, {
    metafields: [
      {
        ownerId: shop.id,
        ...PROGRAM_METAFIELD,
        type: "json",
        value: JSON.stringify(summary),
      },
    ],
  });
  if (data.metafieldsSet.userErrors.length > 0) {
    throw new MetafieldRefused(data.metafieldsSet.userErrors);
  }
  return data.metafieldsSet.metafields?.[0]?.id ?? null;
}
