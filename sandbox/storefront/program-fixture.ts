/** The sandbox merchant's program and rewards (no app imports: the browser tests read them too). */
export const SANDBOX_PROGRAM = {
  earning: { pointsPerUnit: 1, rounding: "down" },
  bonuses: { welcomePoints: 50, birthdayPoints: 100 },
  tiers: [
    { id: "silver", name: "Silver", threshold: { kind: "lifetime_points", points: 150 } },
    { id: "gold", name: "Gold", threshold: { kind: "lifetime_points", points: 400 } },
  ],
} as const;

export const SANDBOX_REWARDS = [
  { type: "fixed_amount", handle: "five-off", name: "$5 off", pointsCost: 50, amountMinor: 500 },
  { type: "percentage", handle: "ten-percent", name: "10% off", pointsCost: 150, percentage: 10 },
  {
    type: "fixed_amount",
    handle: "fifty-off",
    name: "$50 off",
    pointsCost: 5000,
    amountMinor: 5000,
  },
] as const;
