/**
 * What a route handler receives and returns. Handlers throw `ProblemError` (see problems.ts) for
 * 4xx answers; the server turns it into Problem Details.
 */
import type { BrandState } from "./brand-state";
import type { JsonObject } from "./model";

export interface RouteContext {
  state: BrandState;
  url: URL;
  /** Path parameters, e.g. `{ id }` for `/contacts/{id}`. */
  params: Record<string, string>;
  /** The validated request body; `{}` for GET. */
  body: JsonObject;
  /** Events older than this (by the stand-in's clock) count as historical and are deduplicated. */
  historicalEventAgeMs: number;
}

export interface RouteResult {
  status: number;
  body?: JsonObject;
}

export type RouteHandler = (ctx: RouteContext) => RouteResult;
