import type { SessionTokens } from "../../../storefront/account/api";

/** POS gives its session token as getSessionToken() (undefined when signed out). */
export function posTokens(session: { getSessionToken(): Promise<string | undefined> }) {
  return {
    get: async () => (await session.getSessionToken()) ?? "",
  } satisfies SessionTokens;
}
