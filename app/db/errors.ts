import { Prisma } from "@prisma/client";

/**
 * A unique constraint refused a write. Prisma reports it as P2002 from its own queries, but a
 * violation inside an interactive transaction can surface as the driver adapter's error, carrying
 * PostgreSQL's SQLSTATE 23505 on the error or its cause.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return true;
    const fields = e as { code?: unknown; cause?: unknown; originalCode?: unknown };
    if (fields.code === "23505" || fields.originalCode === "23505") return true;
    e = fields.cause;
  }
  return false;
}

/**
 * PostgreSQL gave up on the transaction to break a deadlock (40P01) or a serialization conflict
 * (40001). Nothing was written; running the transaction again is the documented remedy.
 */
export function isLockConflict(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2034") return true;
    const fields = e as {
      code?: unknown;
      cause?: unknown;
      originalCode?: unknown;
      message?: unknown;
    };
    if (["40P01", "40001"].includes(fields.code as string)) return true;
    if (["40P01", "40001"].includes(fields.originalCode as string)) return true;
    // A raw query's failure carries the SQLSTATE only in its message ("Code: `40P01`").
    if (typeof fields.message === "string" && /Code: `40(P01|001)`/.test(fields.message))
      return true;
    e = fields.cause;
  }
  return false;
}

/**
 * Runs `transaction` again, after a short random pause, when PostgreSQL aborted it to break a
 * deadlock: two workers applying one customer's deliveries can take the order and member rows in
 * opposite orders (a refund names no customer, so it cannot be sorted with them), and the loser's
 * retry then finds the rows free. Any other error, or a fourth conflict, is the caller's.
 */
export async function retryOnLockConflict<T>(
  transaction: () => Promise<T>,
  attempts = 4,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isLockConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
