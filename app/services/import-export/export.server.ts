import prisma from "~/db.server";
import { csvRecord } from "~/domain/csv";
import { programInForce } from "../program/versions.server";

// CSV exports (issue #8 scope 6): streamed page by page in keyset order, so a shop with a million
// ledger entries never has them in memory at once; every query is scoped by the shop.

const PAGE = 1000;

export const MEMBER_CSV_COLUMNS = [
  "customer_id",
  "email",
  "first_name",
  "last_name",
  "status",
  "points",
  "lifetime_earned",
  "lifetime_spent",
  "tier",
  "birthday",
  "store_credit_minor",
  "store_credit_currency",
  "member_since",
  "last_activity",
] as const;

export const LEDGER_CSV_COLUMNS = [
  "entry_id",
  "created_at",
  "customer_id",
  "email",
  "kind",
  "source",
  "points",
  "balance_after",
  "order_id",
  "idempotency_key",
] as const;

/** Members as CSV text chunks: the header, then one chunk per page. */
export async function* memberCsv(shopId: string): AsyncGenerator<string> {
  const { config } = await programInForce(prisma, shopId);
  const tierName = new Map(config.tiers.map((t) => [t.id, t.name]));
  yield csvRecord(MEMBER_CSV_COLUMNS);
  let after: string | undefined;
  for (;;) {
    const page = await prisma.member.findMany({
      where: { shopId, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    if (page.length === 0) return;
    yield page
      .map((m) =>
        csvRecord([
          m.customerId.toString(),
          m.email,
          m.firstName,
          m.lastName,
          m.status,
          m.pointsBalance,
          m.lifetimeEarned,
          m.lifetimeSpent,
          m.tierId ? (tierName.get(m.tierId) ?? m.tierId) : null,
          birthday(m.birthYear, m.birthMonth, m.birthDay),
          m.storeCreditCurrency ? m.storeCreditMinor : null,
          m.storeCreditCurrency,
          m.createdAt.toISOString(),
          m.lastActivityAt?.toISOString() ?? null,
        ]),
      )
      .join("");
    after = page.at(-1)!.id;
    if (page.length < PAGE) return;
  }
}

/** The ledger, oldest first (keyset on createdAt, id), as CSV text chunks. */
export async function* ledgerCsv(shopId: string): AsyncGenerator<string> {
  yield csvRecord(LEDGER_CSV_COLUMNS);
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const page = await prisma.ledgerEntry.findMany({
      where: {
        shopId,
        ...(after
          ? {
              OR: [
                { createdAt: { gt: after.createdAt } },
                { createdAt: after.createdAt, id: { gt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: PAGE,
      include: { member: { select: { customerId: true, email: true } } },
    });
    if (page.length === 0) return;
    yield page
      .map((e) =>
        csvRecord([
          e.id,
          e.createdAt.toISOString(),
          e.member.customerId.toString(),
          e.member.email,
          e.kind,
          e.source,
          e.points,
          e.balanceAfter,
          e.orderId?.toString() ?? null,
          e.idempotencyKey,
        ]),
      )
      .join("");
    const last = page.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
    if (page.length < PAGE) return;
  }
}

function birthday(year: number | null, month: number | null, day: number | null) {
  if (!month || !day) return null;
  const md = `${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return year ? `${year}-${md}` : md;
}

/** A streamed download of CSV chunks. */
export function csvResponse(fileName: string, chunks: AsyncGenerator<string>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}
