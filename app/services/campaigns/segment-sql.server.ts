import { Prisma } from "@prisma/client";
import { joinWindow, type Segment } from "~/domain/campaigns/index";

/**
 * The segment as SQL on "Member" m (app/domain/campaigns matchesSegment says the same), plus
 * "joined by `asOf`" for the fan-out. Timestamps are compared as the UTC wall times Prisma stores.
 */
export function segmentCondition(
  shopId: string,
  segment: Segment,
  timeZone: string,
  asOf: Date | null,
): Prisma.Sql {
  const at = (instant: Date) => Prisma.sql`${instant.toISOString()}::timestamp(3)`;
  const { from, until } = joinWindow(segment, timeZone);
  const conditions = [
    Prisma.sql`m."shopId" = ${shopId}::uuid`,
    Prisma.sql`m.status = 'active'`,
    Prisma.sql`m."pointsBalance" >= ${segment.minPoints}`,
  ];
  if (segment.tierIds.length > 0) {
    conditions.push(Prisma.sql`m."tierId" = ANY(${segment.tierIds}::text[])`);
  }
  if (segment.maxPoints !== null) {
    conditions.push(Prisma.sql`m."pointsBalance" <= ${segment.maxPoints}`);
  }
  if (from) conditions.push(Prisma.sql`m."createdAt" >= ${at(from)}`);
  if (until) conditions.push(Prisma.sql`m."createdAt" < ${at(until)}`);
  if (asOf) conditions.push(Prisma.sql`m."createdAt" <= ${at(asOf)}`);
  return Prisma.join(conditions, " AND ");
}
