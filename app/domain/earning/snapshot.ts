import { z } from "zod";
import { RoundingModeSchema } from "../program/config";

/**
 * Stored on the earn (and edit-adjustment) ledger entry. It holds everything a later refund,
 * cancellation or edit needs, so those never re-read the program config: a merchant changing the
 * rate tomorrow must not change what yesterday's order claws back. Services should parse it with
 * this schema when reading it back from JSON.
 */
export const EarnSnapshotSchema = z.strictObject({
  configVersion: z.int().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  minorUnitsPerUnit: z.int().min(1),
  pointsPerUnit: z.number().min(0),
  rounding: RoundingModeSchema,
  multiplier: z.number().min(1).max(10),
  basisMinor: z.int().min(0),
  nonLineBasisMinor: z.int().min(0),
  lines: z.array(
    z.strictObject({
      lineItemId: z.string().min(1),
      quantity: z.int().min(0),
      basisMinor: z.int().min(0),
    }),
  ),
  points: z.int().min(0),
});

export type EarnSnapshot = z.infer<typeof EarnSnapshotSchema>;
export type EarnSnapshotLine = EarnSnapshot["lines"][number];
