// "My rewards": the codes a shopper owns, as the widget lists them. Pure: the rows are read by
// services/storefront/reads.server.ts, `now` is passed in.

/** A stored redemption with a code, as read for the storefront. */
export interface OwnedCodeFacts {
  code: string;
  /** issued | used | expired (held and reverted ones have no code a shopper could use). */
  state: string;
  source: string;
  snapshot: { definition?: Record<string, unknown> } | null;
  valueMinor: number | null;
  /** ISO time; PostgreSQL's JSON gives timestamps without a zone, which are UTC here. */
  expiresAt: string | null;
  createdAt: string;
}

export interface OwnedCode {
  code: string;
  name: string;
  type: string;
  /** ready: can be used at checkout; used; expired (by the sweeper or past its date already). */
  status: "ready" | "used" | "expired";
  /** How it was given: points_redemption, one_time_campaign, birthday, tier_entry, referral, … */
  source: string;
  valueMinor: number | null;
  percentage: number | null;
  minimumSubtotalMinor: number | null;
  expiresAt: string | null;
  /** A custom reward's next step (the merchant fulfils it, the code is the reference); else null. */
  instructions: string | null;
}

export const utc = (time: string) =>
  new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(time) ? time : `${time}Z`);

/** Ready codes first (soonest to expire first), then used and expired ones, newest first. */
export function ownedCodes(rows: OwnedCodeFacts[], now: Date): OwnedCode[] {
  const codes = rows.map((row): OwnedCode & { at: number; ends: number } => {
    const definition = row.snapshot?.definition ?? {};
    const expires = row.expiresAt ? utc(row.expiresAt) : null;
    const lapsed = row.state === "issued" && expires !== null && expires <= now;
    const status =
      row.state === "used" ? "used" : row.state === "expired" || lapsed ? "expired" : "ready";
    const number = (key: string) =>
      typeof definition[key] === "number" ? (definition[key] as number) : null;
    const text = (key: string) =>
      typeof definition[key] === "string" ? (definition[key] as string) : null;
    return {
      code: row.code,
      name: typeof definition.name === "string" ? definition.name : row.code,
      type: typeof definition.type === "string" ? definition.type : "fixed_amount",
      status,
      source: row.source,
      valueMinor: row.valueMinor,
      percentage: number("percentage"),
      minimumSubtotalMinor: number("minimumSubtotalMinor"),
      expiresAt: expires?.toISOString() ?? null,
      instructions: text("instructions"),
      at: utc(row.createdAt).getTime(),
      ends: expires?.getTime() ?? Number.MAX_SAFE_INTEGER,
    };
  });
  const rank = { ready: 0, used: 1, expired: 1 } as const;
  codes.sort(
    (a, b) =>
      rank[a.status] - rank[b.status] ||
      (a.status === "ready" ? a.ends - b.ends : 0) ||
      b.at - a.at,
  );
  return codes.map(({ at: _at, ends: _ends, ...code }) => code);
}
