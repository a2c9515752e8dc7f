export type {
  BearerTokenSource,
  BulkImportJob,
  KlaviyoClient,
  KlaviyoCredential,
  ListMember,
  ListMembersPage,
  ProfileUpdate,
} from "./client.server";
export {
  KLAVIYO_REVISION,
  klaviyoClient,
  LIST_MEMBERS_PAGE_SIZE,
  MAX_LIST_REMOVALS,
  REQUEST_TIMEOUT_MS,
} from "./client.server";
export type { KlaviyoFailureKind } from "./errors";
export { classifyKlaviyoError, KlaviyoApiError } from "./errors";
export type { KlaviyoOperation, Limit } from "./rate-limiter";
export { KLAVIYO_LIMITS, KlaviyoRateLimiter } from "./rate-limiter";
export { missingScopes, REQUIRED_SCOPES } from "./scopes.server";
export type { OAuthAppCredentials, OAuthFailure, TokenSet } from "./oauth.server";
export {
  authorizeUrl,
  exchangeCode,
  KlaviyoOAuthError,
  pkcePair,
  refreshTokens,
  revokeToken,
} from "./oauth.server";
