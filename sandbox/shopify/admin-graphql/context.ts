/** What every resolver receives, and the resolver signature. */
import type { GraphQLResolveInfo } from "graphql";
import type { FlowTriggerSpec } from "../flow-trigger-specs";
import type { SandboxStore } from "../store";
import type { AdminSchema } from "./schema";
import type { AdminApiState } from "./state";

export interface AdminContext {
  readonly admin: AdminSchema;
  readonly store: SandboxStore;
  readonly state: AdminApiState;
  /** Granted scopes with `write_x` already expanded to include `read_x`. */
  readonly scopes: ReadonlySet<string>;
  /** One instant per request, from the injected clock. */
  readonly now: Date;
  /** What `$app` and an omitted metafield namespace resolve to: `app--<client id>`. */
  readonly appNamespace: string;
  /** The app's Flow triggers (extensions/), when the stand-in was given them. */
  readonly flowTriggers?: ReadonlyMap<string, FlowTriggerSpec>;
}

/**
 * A GraphQL-shaped object: property values are returned as is, functions are called with the
 * field's arguments (for fields such as `metafield(namespace, key)`), so nested objects are only
 * built when selected. `__typename` tells interfaces and unions which object type it is.
 */
export type View = Record<string, unknown>;

export type Resolver = (
  source: unknown,
  args: Record<string, unknown>,
  context: AdminContext,
  info: GraphQLResolveInfo,
) => unknown;

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string;
  elementIndex?: number;
}
