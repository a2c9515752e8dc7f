export type { OmnisendClient, OmnisendClientOptions } from "./client.server";
export { OMNISEND_VERSION, omnisendClient, REQUEST_TIMEOUT_MS } from "./client.server";
export type { OmnisendFailureKind } from "./errors";
export { OmnisendApiError } from "./errors";
export type { OmnisendLimit } from "./rate-limiter";
export { OMNISEND_LIMIT, OmnisendRateLimiter } from "./rate-limiter";
