/**
 * How the stand-in resolves fields: Shopify's access check first, then a resolver from
 * resolvers/, then the field of the same name on the parent view. A nullable field nobody
 * implements is null; a non-null one is an error that names the missing piece, so the stand-in
 * never invents data the app could come to rely on.
 */
import { getNamedType, GraphQLError, isNonNullType } from "graphql";
import type { GraphQLFieldResolver, GraphQLTypeResolver } from "graphql";
import type { AdminContext } from "./context";
import { resolvers } from "./resolvers/index";
import type { AccessRule } from "./schema";
import { deniedRule, isGranted } from "./schema";
import { isRecord } from "./values";

/** Shopify's wording (https://shopify.dev/docs/api/usage/access-scopes). */
export function accessDeniedError(fieldName: string, rule: AccessRule): GraphQLError {
  const requiredAccess =
    rule.requiredAccess || rule.anyOf.map((s) => `\`${s}\` access scope`).join(" or ") + ".";
  return new GraphQLError(
    `Access denied for ${fieldName} field. Required access: ${requiredAccess}`,
    {
      extensions: {
        code: "ACCESS_DENIED",
        documentation: "https://shopify.dev/api/usage/access-scopes",
        requiredAccess,
      },
    },
  );
}

export const fieldResolver: GraphQLFieldResolver<unknown, AdminContext> = (
  source,
  args,
  ctx,
  info,
) => {
  const returned = getNamedType(info.returnType).name;
  const denied = deniedRule(ctx.admin, ctx.scopes, info.parentType.name, info.fieldName, returned);
  if (denied) throw accessDeniedError(info.fieldName, denied);
  if (ctx.bulkPage && info.path.prev === undefined) return ctx.bulkPage(info.fieldName);
  const own = resolvers[`${info.parentType.name}.${info.fieldName}`];
  if (own) return own(source, args, ctx, info);
  if (isRecord(source) && Object.hasOwn(source, info.fieldName)) {
    const value = source[info.fieldName];
    if (typeof value === "function")
      return (value as (...a: unknown[]) => unknown)(args, ctx, info);
    if (value !== undefined) return value;
  }
  if (isNonNullType(info.returnType)) {
    throw new GraphQLError(
      `The Shopify stand-in does not implement ${info.parentType.name}.${info.fieldName}; ` +
        "add it in sandbox/shopify/admin-graphql/views.ts or resolvers/",
      { extensions: { code: "STAND_IN_NOT_IMPLEMENTED" } },
    );
  }
  return null;
};

/** Views name their object type in `__typename`; that type's own access rule applies too. */
export const typeResolver: GraphQLTypeResolver<unknown, AdminContext> = (value, ctx, info) => {
  const typename = isRecord(value) ? value.__typename : undefined;
  if (typeof typename !== "string") {
    throw new GraphQLError(
      `The Shopify stand-in returned an object without __typename for ${info.parentType.name}.${info.fieldName}`,
      { extensions: { code: "STAND_IN_NOT_IMPLEMENTED" } },
    );
  }
  const rule = ctx.admin.typeAccess(typename);
  if (rule && !isGranted(rule, ctx.scopes)) throw accessDeniedError(info.fieldName, rule);
  return typename;
};
