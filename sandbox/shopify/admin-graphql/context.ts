/** What every resolver receives, and the resolver signature. */
import type { DocumentNode, ExecutionResult, GraphQLResolveInfo } from "graphql";
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
  /** The endpoint's clock (milliseconds): work that outlives the request (bulk operations) reads it. */
  readonly clock: () => number;
  /** Scheme, host and port the request came to; URLs the stand-in hands out point there. */
  readonly origin: string;
  /**
   * Runs a document with this endpoint's resolvers (access checks included). The bulk runner uses
   * it for the inner query; passed in rather than imported so resolvers do not import execute.ts.
   */
  readonly executeDocument: (
    document: DocumentNode,
    context: AdminContext,
  ) => Promise<ExecutionResult>;
  /**
   * Set only while a bulk operation runs: answers the root connection with one page of its items,
   * so the rest of the inner query resolves through the ordinary views (bulk/runner.ts).
   */
  readonly bulkPage?: (rootField: string) => View;
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
