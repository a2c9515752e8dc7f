/**
 * What the app needs a private key to allow (the endpoints' `x-klaviyo-scopes`), and a check that
 * a key has it before anything is stored. Klaviyo has no introspection for private keys, so each
 * scope is probed with a request that cannot change anything: reads, or writes with an empty body.
 * A 403 means the scope is missing; anything else (200, 400 invalid body, 404) means it is there.
 */
export const REQUIRED_SCOPES = [
  "accounts:read",
  "events:write",
  "profiles:read",
  "profiles:write",
  "lists:read",
  "lists:write",
] as const;

type Probe = { scope: (typeof REQUIRED_SCOPES)[number]; method: "GET" | "POST"; path: string };

const PROBES: Probe[] = [
  { scope: "events:write", method: "POST", path: "/api/events" },
  { scope: "profiles:write", method: "POST", path: "/api/profile-import" },
  {
    scope: "profiles:read",
    method: "GET",
    path: "/api/profile-bulk-import-jobs/00000000000000000000000000/import-errors",
  },
  { scope: "lists:read", method: "GET", path: "/api/lists" },
  { scope: "lists:write", method: "POST", path: "/api/lists" },
];

export async function missingScopes(
  baseUrl: string,
  privateKey: string,
  revision: string,
  timeoutMs: number,
): Promise<string[]> {
  const missing: string[] = [];
  for (const probe of PROBES) {
    const response = await fetch(new URL(probe.path, baseUrl), {
      method: probe.method,
      headers: {
        Authorization: `Klaviyo-API-Key ${privateKey}`,
        revision,
        Accept: "application/vnd.api+json",
        "Content-Type": "application/vnd.api+json",
      },
      body: probe.method === "POST" ? "{}" : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    if (response.status === 403) missing.push(probe.scope);
  }
  return missing;
}
