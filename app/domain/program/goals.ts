import { z } from "zod";

/** At most this many goals in a program (issue #23). */
export const MAX_GOALS = 10;

const goalId = z
  .string()
  .max(40)
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, "validation.goal.id");
const goalPoints = z
  .int("validation.goal.points")
  .min(1, "validation.goal.points")
  .max(1_000_000, "validation.goal.points");

/**
 * A goal (issue #23): bonus points once per member for the Nth counted order (`order_count`), or
 * for goods spend of counted orders reaching `minor` within `windowDays` (`spend`). The id is a
 * slug, kept in the ledger, so a renamed goal is still the same goal.
 */
export const GoalSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    id: goalId,
    kind: z.literal("order_count"),
    count: z
      .int("validation.goal.count")
      .min(2, "validation.goal.count")
      .max(100, "validation.goal.count"),
    points: goalPoints,
  }),
  z.strictObject({
    id: goalId,
    kind: z.literal("spend"),
    minor: z
      .int("validation.goal.minor")
      .min(1, "validation.goal.minor")
      .max(100_000_000_000, "validation.goal.minor"),
    windowDays: z
      .int("validation.goal.windowDays")
      .min(1, "validation.goal.windowDays")
      .max(3650, "validation.goal.windowDays"),
    points: goalPoints,
  }),
]);
export type Goal = z.infer<typeof GoalSchema>;
export type GoalKind = Goal["kind"];

export const GoalListSchema = z
  .array(GoalSchema)
  .max(MAX_GOALS, "validation.goal.tooMany")
  .superRefine((goals, ctx) => {
    const seen = new Set<string>();
    goals.forEach((goal, index) => {
      if (seen.has(goal.id)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "id"],
          message: "validation.goal.duplicateId",
          params: { id: goal.id },
        });
      }
      seen.add(goal.id);
    });
  });
