/**
 * metafieldsSet (https://shopify.dev/docs/api/admin-graphql/latest/mutations/metafieldsSet): at
 * most 25 metafields per call, all or nothing, optional compare-and-set with `compareDigest`
 * (`null` means "must not exist yet"). Without metafield definitions in the stand-in, `type` is
 * required and values are checked against it (https://shopify.dev/docs/apps/build/custom-data/metafields/list-of-data-types).
 */
import type { AdminContext, Resolver, UserError } from "../context";
import { metafieldDigest } from "../state";
import { metafieldView, ownerView, resolveNamespace } from "../views/index";
import { isRecord } from "../values";

export const METAFIELDS_SET_LIMIT = 25;

const isJson = (value: string) => {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
};

const scalarTypes: Record<string, (value: string) => boolean> = {
  single_line_text_field: (v) => !/[\r\n]/.test(v),
  multi_line_text_field: () => true,
  number_integer: (v) => /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)),
  number_decimal: (v) => /^-?\d+(\.\d+)?$/.test(v),
  boolean: (v) => v === "true" || v === "false",
  json: isJson,
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  date_time: (v) => !Number.isNaN(Date.parse(v)),
  url: (v) => /^(https?|mailto|sms|tel):/.test(v),
  color: (v) => /^#[0-9a-f]{6}$/i.test(v),
  money: (v) => isJson(v) && isRecord(JSON.parse(v)),
};

function valueFits(type: string, value: string): boolean | "unknown type" {
  const scalar = scalarTypes[type];
  if (scalar) return scalar(value);
  if (type.endsWith("_reference")) return /^gid:\/\/shopify\/\w+\/\d+$/.test(value);
  if (type.startsWith("list.")) {
    const item = type.slice("list.".length);
    if (!scalarTypes[item] && !item.endsWith("_reference")) return "unknown type";
    if (!isJson(value)) return false;
    const list: unknown = JSON.parse(value);
    return (
      Array.isArray(list) &&
      list.every((v) => valueFits(item, typeof v === "string" ? v : JSON.stringify(v)) === true)
    );
  }
  return "unknown type";
}

function check(
  ctx: AdminContext,
  input: Record<string, unknown>,
  index: number,
  errors: UserError[],
) {
  const error = (field: string, message: string, code: string) =>
    errors.push({
      field: ["metafields", String(index), field],
      message,
      code,
      elementIndex: index,
    });
  const ownerId = String(input.ownerId);
  const namespace = resolveNamespace(
    ctx,
    typeof input.namespace === "string" ? input.namespace : null,
  );
  const key = String(input.key);
  const value = String(input.value);
  if (!ownerView(ctx, ownerId)) error("ownerId", "Owner does not exist.", "INVALID");
  // MetafieldsSetInput.namespace: 3-255 characters; another app's reserved namespace is refused.
  if (namespace.length < 3)
    error("namespace", "Namespace is too short (minimum is 3 characters)", "TOO_SHORT");
  else if (namespace.length > 255)
    error("namespace", "Namespace is too long (maximum is 255 characters)", "TOO_LONG");
  else if (!/^[\w-]+$/.test(namespace))
    error("namespace", "Namespace contains one or more invalid characters.", "INVALID");
  else if (
    namespace.startsWith("app--") &&
    namespace !== ctx.appNamespace &&
    !namespace.startsWith(`${ctx.appNamespace}--`)
  )
    error(
      "namespace",
      "Access to this namespace is restricted to the app that owns it.",
      "APP_NOT_AUTHORIZED",
    );
  // MetafieldsSetInput.key: 2-64 characters, alphanumeric, hyphen and underscore.
  if (key.length < 2) error("key", "Key is too short (minimum is 2 characters)", "TOO_SHORT");
  else if (key.length > 64) error("key", "Key is too long (maximum is 64 characters)", "TOO_LONG");
  else if (!/^[\w-]+$/.test(key))
    error("key", "Key contains one or more invalid characters.", "INVALID");
  const existing = ctx.state.metafield(ownerId, namespace, key);
  const type = typeof input.type === "string" ? input.type : existing?.type;
  if (!type) error("type", "Type can't be blank", "BLANK");
  else {
    const fits = valueFits(type, value);
    if (fits === "unknown type")
      error("type", `Type '${type}' is not a valid metafield type.`, "INVALID_TYPE");
    else if (!fits) error("value", `Value is invalid for type '${type}'.`, "INVALID_VALUE");
  }
  if ("compareDigest" in input) {
    const expected = input.compareDigest;
    const stale =
      expected === null ? !!existing : !existing || metafieldDigest(existing) !== expected;
    if (stale)
      error(
        "compareDigest",
        "The metafield has been modified since it was loaded.",
        "STALE_OBJECT",
      );
  }
  return { ownerId, namespace, key, value, type: type ?? "" };
}

export const metafieldResolvers: Record<string, Resolver> = {
  "Mutation.metafieldsSet": (_source, args, ctx) => {
    const inputs = Array.isArray(args.metafields) ? args.metafields.filter(isRecord) : [];
    if (inputs.length > METAFIELDS_SET_LIMIT) {
      const message = `Exceeded the maximum metafields input limit of ${METAFIELDS_SET_LIMIT}.`;
      return {
        metafields: null,
        userErrors: [{ field: ["metafields"], message, code: "LESS_THAN_OR_EQUAL_TO" }],
      };
    }
    const errors: UserError[] = [];
    const checked = inputs.map((input, index) => check(ctx, input, index, errors));
    if (errors.length > 0) return { metafields: null, userErrors: errors };
    const records = checked.map((fields) => ctx.state.setMetafield(fields, ctx.now));
    return {
      metafields: records.map((r) => metafieldView(ctx, r, () => ownerView(ctx, r.ownerId))),
      userErrors: [],
    };
  },
};
