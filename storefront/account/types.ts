// The shapes app/routes/customer-account.* answer with (what the extensions read of them).

export type AccountReward = {
  handle: string;
  name: string;
  pointsCost: number | null;
  valueFormatted: string;
  available: boolean;
  /** Why it cannot be redeemed now (more_points, tier, limit, …); `short` points with more_points. */
  why: string | null;
  short: number | null;
};

export type OwnedCode = {
  code: string;
  name: string;
  status: "ready" | "used" | "expired";
  expiresAt: string | null;
  /** A reward the merchant fulfils: what happens next. */
  instructions?: string | null;
};

export type AccountMember = {
  pointsBalance: number;
  availablePoints: number;
  pendingPoints: number;
  tier: { name: string } | null;
  next: { name: string; unit: "money" | "points"; remaining: number; percent: number } | null;
  referral: { code: string; url: string } | null;
  birthday: { month: number; day: number | null } | null;
  codes: OwnedCode[];
};

export type HistoryEntry = {
  at: string;
  points: number;
  source: string;
  orderName: string | null;
};

export type AccountAnswer = {
  member: AccountMember | null;
  program: { currency: string };
  rewards: AccountReward[];
  history: HistoryEntry[];
};

export type OrderPointsAnswer =
  | { state: "not_member" }
  | { state: "none" }
  | { state: "earned"; points: number; heldUntil: string | null }
  | { state: "guest"; program: { currency: string } };
