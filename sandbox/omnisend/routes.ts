/**
 * The route table: which contract operations the stand-in serves and their handlers. Each entry
 * is looked up in the contract at startup, so an operation a new contract drops or renames fails
 * loudly instead of silently 404ing.
 */
import type { ContractOperation, OmnisendContract } from "./openapi";
import type { RouteHandler } from "./route-types";
import {
  createOrUpdateContact,
  getContact,
  listContacts,
  updateContactByEmail,
  updateContactById,
} from "./routes-contacts";
import { sendEvent } from "./routes-events";

export interface Route {
  operation: ContractOperation;
  /** Matches the path after the `/api` prefix. */
  pattern: RegExp;
  handle: RouteHandler;
}

/** Literal paths come before templated ones, so `/contacts` never reads as `/contacts/{id}`. */
const SERVED: [method: string, path: string, handle: RouteHandler][] = [
  ["POST", "/events", sendEvent],
  ["POST", "/contacts", createOrUpdateContact],
  ["PATCH", "/contacts", updateContactByEmail],
  ["GET", "/contacts", listContacts],
  ["GET", "/contacts/{id}", getContact],
  ["PATCH", "/contacts/{id}", updateContactById],
];

/** `/contacts/{id}` → `^/contacts/(?<id>[^/]+)$`. */
export function pathPattern(template: string): RegExp {
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part);
      return param ? `(?<${param[1]}>[^/]+)` : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}$`);
}

export function buildRoutes(contract: OmnisendContract): Route[] {
  return SERVED.map(([method, path, handle]) => ({
    operation: contract.operation(method, path),
    pattern: pathPattern(path),
    handle,
  }));
}

export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.operation.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, params: { ...match.groups } };
  }
  return undefined;
}
