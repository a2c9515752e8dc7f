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
