// What the settings simulator takes: the orders a merchant types, checked before they are replayed.
import { z } from "zod";

const MAX_MINOR = 100_000_000_00;

export const SimulationOrderSchema = z
  .strictObject({
    /** When the order was paid. */
    at: z.coerce.date(),
    amountMinor: z.int("amounts are whole minor units").positive().max(MAX_MINOR),
    refunds: z
      .array(
        z.strictObject({
          at: z.coerce.date(),
          amountMinor: z.int("amounts are whole minor units").positive().max(MAX_MINOR),
        }),
      )
      .max(10)
      .default([]),
  })
  .superRefine((order, ctx) => {
    let refunded = 0;
    order.refunds.forEach((refund, index) => {
      refunded += refund.amountMinor;
      if (refund.at.getTime() < order.at.getTime()) {
        ctx.addIssue({
          code: "custom",
          path: ["refunds", index, "at"],
          message: "validation.simulator.refundBeforeOrder",
        });
      }
    });
    if (refunded > order.amountMinor) {
      ctx.addIssue({
        code: "custom",
        path: ["refunds"],
        message: "validation.simulator.refundTooLarge",
      });
    }
  });

export const SimulationInputSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, "a three-letter currency code"),
  timeZone: z.string().min(1),
  orders: z.array(SimulationOrderSchema).min(1, "validation.simulator.noOrders").max(50),
  /** Expiry is applied up to this instant (default: the last order or refund). */
  until: z.coerce.date().optional(),
});
export type SimulationInput = z.input<typeof SimulationInputSchema>;
