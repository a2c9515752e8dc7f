/** Metafields as seen through the schema, for any owner (https://shopify.dev/docs/apps/build/custom-data). */
import { paginate } from "../connection";
import type { AdminContext, View } from "../context";
import type { MetafieldRecord } from "../state";
import { metafieldDigest } from "../state";
import { gid, parseGid } from "../values";

/**
 * `$app` (or no namespace) is the app-reserved namespace `app--<client id>`, and `$app:feature` is
 * `app--<client id>--feature` (shopify.dev/docs/apps/build/custom-data/ownership#reserved-prefixes).
 */
export function resolveNamespace(ctx: AdminContext, namespace: string | null | undefined) {
  if (!namespace) return ctx.appNamespace;
  if (namespace === "$app") return ctx.appNamespace;
  if (namespace.startsWith("$app:")) return `${ctx.appNamespace}--${namespace.slice(5)}`;
  return namespace;
}

/** `metafield(namespace, key)` and `metafields(first, namespace, keys)` for any owner. */
export function metafieldFields(
  ctx: AdminContext,
  ownerId: string,
  owner: () => View | null,
): View {
  return {
    metafield: (args: { namespace?: string | null; key: string }) => {
      const record = ctx.state.metafield(ownerId, resolveNamespace(ctx, args.namespace), args.key);
      return record ? metafieldView(ctx, record, owner) : null;
    },
    metafields: (args: Record<string, unknown>) => {
      const namespace =
        typeof args.namespace === "string" ? resolveNamespace(ctx, args.namespace) : null;
      const keys = Array.isArray(args.keys) ? args.keys.map(String) : null;
      const records = ctx.state
        .metafieldsOf(ownerId)
        .filter((m) => !namespace || m.namespace === namespace)
        .filter((m) => !keys || keys.includes(`${m.namespace}.${m.key}`));
      return paginate(
        records,
        args,
        (m) => m.id,
        (m) => metafieldView(ctx, m, owner),
      );
    },
  };
}

export function metafieldView(
  ctx: AdminContext,
  record: MetafieldRecord,
  owner: () => View | null,
): View {
  const ownerType = parseGid(record.ownerId).type;
  return {
    __typename: "Metafield",
    id: gid("Metafield", record.id),
    legacyResourceId: String(record.id),
    namespace: record.namespace,
    key: record.key,
    type: record.type,
    value: record.value,
    jsonValue: () => metafieldJsonValue(record),
    compareDigest: metafieldDigest(record),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    ownerType: ownerType === "DiscountCodeNode" ? "DISCOUNT" : ownerType.toUpperCase(),
    owner,
    sizeInBytes: Buffer.byteLength(record.value),
  };
}

function metafieldJsonValue(record: MetafieldRecord): unknown {
  if (record.type === "json" || record.type.startsWith("list.")) return JSON.parse(record.value);
  if (record.type === "boolean") return record.value === "true";
  if (record.type === "number_integer" || record.type === "number_decimal") {
    return Number(record.value);
  }
  return record.value;
}
