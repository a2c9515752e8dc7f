import { csvRecord } from "~/domain/csv";
import { describeTimeLeft, importProgress } from "~/domain/history-import/progress";
import prisma from "~/db.server";
import { historyProblemText } from "~/lib/history-problems";
import type { Translate } from "~/lib/i18n";
import { programInForce } from "../program/versions.server";
import { HistoryChoicesSchema } from "./start.server";

/** Problems shown on the page; the whole list is in the downloadable report. */
const PROBLEMS_SHOWN = 10;
const PAGE = 1_000;

/**
 * The shop's latest history import as the Import/export page and the first-run checklist show
 * it: state, choices, progress with the time left, counts, members per tier (by tier name) and
 * the first problems. Null before the first import.
 */
export async function latestHistoryImport(shopId: string, now = new Date()) {
  const run = await prisma.historyImport.findFirst({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    include: {
      problemLines: { orderBy: [{ file: "asc" }, { line: "asc" }], take: PROBLEMS_SHOWN },
    },
  });
  if (!run) return null;
  const { config } = await programInForce(prisma, shopId);
  const tierName = new Map(config.tiers.map((tier) => [tier.id, tier.name]));
  const progress = importProgress(run, now);
  return {
    id: run.id,
    state: run.state,
    choices: HistoryChoicesSchema.parse(run.choices),
    percent: progress.percent,
    phase: progress.phase,
    timeLeft: describeTimeLeft(progress.secondsLeft),
    customers: run.customers,
    orders: run.orders,
    pointsAwarded: run.pointsAwarded,
    tiers: Object.entries(run.tierCounts as Record<string, number>).map(([id, members]) => ({
      name: tierName.get(id) ?? id,
      members,
    })),
    problems: run.problems,
    problemLines: run.problemLines.map(({ file, line, kind, detail, copyValues }) => ({
      file,
      line,
      kind,
      detail,
      values: copyValues,
    })),
    lastError: run.lastError,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export type HistoryImportView = NonNullable<Awaited<ReturnType<typeof latestHistoryImport>>>;

export const PROBLEM_CSV_COLUMNS = ["file", "line", "problem", "detail"] as const;

/**
 * Every problem of one import of the shop, as CSV rows, a page at a time (keyset on the key); the
 * detail in the staff member's language (`translate`).
 */
export async function* historyProblemsCsv(
  shopId: string,
  importId: string,
  translate: Translate,
): AsyncGenerator<string> {
  yield csvRecord(PROBLEM_CSV_COLUMNS);
  let after = { file: "", line: -1, kind: "" };
  for (;;) {
    const page = await prisma.$queryRaw<ProblemRow[]>`
      SELECT file, line, kind, detail, "copyValues" AS "values" FROM "HistoryImportProblem"
      WHERE "importId" = ${importId}::uuid AND "shopId" = ${shopId}::uuid
        AND (file, line, kind) > (${after.file}, ${after.line}::int, ${after.kind})
      ORDER BY file, line, kind
      LIMIT ${PAGE}`;
    if (page.length === 0) return;
    yield page
      .map((p) => csvRecord([p.file, p.line, p.kind, historyProblemText(p, translate)]))
      .join("");
    after = page[page.length - 1]!;
  }
}

interface ProblemRow {
  file: string;
  line: number;
  kind: string;
  detail: string;
  values: unknown;
}
