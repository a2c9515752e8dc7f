import { expect } from "vitest";
import { LoyaltyError } from "~/services/errors";

/** A drain's clock: pauses are judged against it, so a test can step over them. */
export function steppingClock() {
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  return {
    now,
    jumpPast: (until: Date | null | undefined) =>
      (offset += Math.max(0, (until?.getTime() ?? 0) - now().getTime()) + 1),
  };
}

/** The LoyaltyError a promise rejects with (the test fails when it resolves or throws another). */
export async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoyaltyError);
  return error as LoyaltyError;
}
