/**
 * Thrown when an order, refund or rate handed to the earning maths is impossible (negative money,
 * fractional quantity, duplicate line id). The adapters validate payloads with zod first, so this
 * signals a bug in an adapter, not a bad webhook; the job should fail loudly rather than guess.
 */
export class EarningInputError extends Error {
  readonly code = "earning_invalid_input" as const;
  override readonly name = "EarningInputError";
}

export function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new EarningInputError(`${what} must be a non-negative integer, got ${value}`);
  }
}
