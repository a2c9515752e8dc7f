import { createHash } from "node:crypto";
import type { ImportRun, Member, Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { ImportFileError, parseImport, type ImportRow, type LineError } from "~/domain/import";
import type { ProgramConfig } from "~/domain/program";
import { queueImportApply } from "~/jobs/queues/send.server";
import { LoyaltyError } from "../errors";
import { postEntry } from "../ledger/post-entry.server";
import { ensureMember } from "../members/ensure.server";
import { lockMember } from "../members/repository.server";
import { recordEvent } from "../events/outbox.server";
import { programInForce } from "../program/versions.server";
import { assignTier } from "../tiers/evaluate.server";

// CSV import of opening balances, tiers and birthdays from another loyalty app (issue #8 scope 6,
// ADR 0031): check (a dry run that changes nothing but the report) → apply in a job, row by row,
// each row all-or-nothing and keyed by the file's hash and line, so the same file applies once.

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const BATCH = 200;
/** Errors kept on a run (the report shows them; a file full of errors stays readable). */
const MAX_REPORTED_ERRORS = 1000;

/** How a file's points apply: added to each member's balance, or each balance set to them. */
export type BalanceMode = "add" | "set";

/** One line of a check's preview: the member's balance now and after the import. */
export interface BalancePreview {
  line: number;
  customer: string;
  before: number;
  after: number;
}

/** Lines with points a check previews. */
const PREVIEW_LINES = 10;

export interface ImportReport {
  id: string;
  fileName: string;
  state: string;
  balanceMode: BalanceMode;
  preview: BalancePreview[];
  totalRows: number;
  validRows: number;
  processedRows: number;
  appliedRows: number;
  skippedRows: number;
  errors: LineError[];
  error: string | null;
  createdAt: string;
}

export function reportOf(run: ImportRun): ImportReport {
  return {
    id: run.id,
    fileName: run.fileName,
    state: run.state,
    balanceMode: run.balanceMode === "set" ? "set" : "add",
    preview: (run.preview as unknown as BalancePreview[] | null) ?? [],
    totalRows: run.totalRows,
    validRows: run.validRows,
    processedRows: run.processedRows,
    appliedRows: run.appliedRows,
    skippedRows: run.skippedRows,
    errors: run.errors as unknown as LineError[],
    error: run.error,
    createdAt: run.createdAt.toISOString(),
  };
}

const rowKey = (fileHash: string, line: number) => `${fileHash}:${line}`;

/**
 * The dry run: parses the file and checks every line against the shop (tier names, members found
 * by email) without changing any member. Stores the run with its report; a file-level problem
 * (not CSV, unknown column) is a LoyaltyError and stores nothing.
 */
export async function checkImport(
  shopId: string,
  fileName: string,
  text: string,
  balanceMode: BalanceMode = "add",
): Promise<ImportReport> {
  if (Buffer.byteLength(text, "utf8") > MAX_IMPORT_BYTES) {
    throw new LoyaltyError("invalid_input", "import.file.tooLarge", undefined, {
      mb: MAX_IMPORT_BYTES / 1024 / 1024,
    });
  }
  let parsed;
  try {
    parsed = parseImport(text);
  } catch (error) {
    if (error instanceof ImportFileError)
      throw new LoyaltyError("invalid_input", error.message, undefined, error.params);
    throw error;
  }
  const { config } = await programInForce(prisma, shopId);
  const { errors: shopErrors } = await matchRows(shopId, parsed.rows, config);
  const errors = [...parsed.errors, ...shopErrors].sort((a, b) => a.line - b.line);
  const refused = new Set(errors.map((error) => error.line));
  const preview = await previewBalances(
    shopId,
    parsed.rows.filter((row) => !refused.has(row.line) && row.points !== null),
    balanceMode,
  );
  const fileHash = createHash("sha256").update(text).digest("hex");
  const run = await prisma.importRun.create({
    data: {
      shopId,
      fileName: fileName.slice(0, 200) || "import.csv",
      fileHash,
      csv: text,
      totalRows: parsed.total,
      validRows: parsed.rows.length - shopErrors.length,
      errors: errors.slice(0, MAX_REPORTED_ERRORS) as unknown as Prisma.InputJsonValue,
      balanceMode,
      preview: preview as unknown as Prisma.InputJsonValue,
    },
  });
  return reportOf(run);
}

/** The first lines' balances now and after the import, as the merchant will see them change. */
async function previewBalances(
  shopId: string,
  rows: ImportRow[],
  mode: BalanceMode,
): Promise<BalancePreview[]> {
  const shown = rows.slice(0, PREVIEW_LINES);
  const members = await prisma.member.findMany({
    where: {
      shopId,
      status: "active",
      OR: [
        {
          customerId: {
            in: shown.flatMap((row) => (row.customerId === null ? [] : [row.customerId])),
          },
        },
        {
          email: {
            in: shown.flatMap((row) => (row.email === null ? [] : [row.email])),
            mode: "insensitive",
          },
        },
      ],
    },
    select: { customerId: true, email: true, pointsBalance: true },
  });
  return shown.map((row) => {
    const member = members.find((m) =>
      row.customerId !== null
        ? m.customerId === row.customerId
        : m.email?.toLowerCase() === row.email?.toLowerCase(),
    );
    // A customer the app has not seen yet starts at 0.
    const before = member?.pointsBalance ?? 0;
    const points = row.points ?? 0;
    return {
      line: row.line,
      customer: row.email ?? member?.email ?? String(row.customerId),
      before,
      after: mode === "add" ? before + points : points,
    };
  });
}

/** Starts applying a checked run (the job applies it); a second click changes nothing. */
export async function startImport(shopId: string, runId: string): Promise<ImportReport> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.importRun.updateMany({
      where: { id: runId, shopId, state: "checked" },
      data: { state: "queued" },
    });
    const run = await tx.importRun.findFirst({ where: { id: runId, shopId } });
    if (!run) throw new LoyaltyError("import_not_found", "import.notFound");
    if (count === 1) await queueImportApply(tx, { shopId, importRunId: runId });
    return reportOf(run);
  });
}

export async function latestImports(shopId: string, take = 5): Promise<ImportReport[]> {
  const runs = await prisma.importRun.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    take,
  });
  return runs.map(reportOf);
}

/**
 * The job: applies the run's valid rows in batches, saving progress after each batch, so a retry
 * after a crash resumes (rows already applied hit their key and count as skipped).
 */
export async function applyImport(shopId: string, runId: string, now = new Date()) {
  const run = await prisma.importRun.findFirst({ where: { id: runId, shopId } });
  if (!run || run.state === "done" || run.state === "checked") return;
  await prisma.importRun.update({
    where: { id: run.id },
    data: {
      state: "applying",
      startedAt: run.startedAt ?? now,
      processedRows: 0,
      appliedRows: 0,
      skippedRows: 0,
    },
  });
  const parsed = parseImport(run.csv);
  const { config } = await programInForce(prisma, shopId);
  const shop = await prisma.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { timeZone: true },
  });
  const refused = new Set((run.errors as unknown as LineError[]).map((e) => e.line));
  const lateErrors: LineError[] = [];
  let applied = 0;
  let skipped = 0;
  let processed = 0;
  const rows = parsed.rows.filter((r) => !refused.has(r.line));
  for (let i = 0; i < rows.length; i += BATCH) {
    for (const row of rows.slice(i, i + BATCH)) {
      try {
        const outcome = await applyRow(shopId, run, row, config, shop.timeZone, now);
        if (outcome === "applied") applied++;
        else skipped++;
      } catch (error) {
        if (!(error instanceof LoyaltyError)) throw error;
        // The row's transaction rolled back: nothing of it was applied.
        lateErrors.push(
          error.params
            ? { line: row.line, reason: error.message, params: error.params }
            : { line: row.line, reason: error.message },
        );
      }
      processed++;
    }
    await prisma.importRun.update({
      where: { id: run.id },
      data: { processedRows: processed, appliedRows: applied, skippedRows: skipped },
    });
  }
  const errors = [...(run.errors as unknown as LineError[]), ...lateErrors].sort(
    (a, b) => a.line - b.line,
  );
  await prisma.importRun.update({
    where: { id: run.id },
    data: {
      state: "done",
      finishedAt: new Date(),
      // The file holds customers' emails: once applied it is not kept (the report stays).
      csv: "",
      errors: errors.slice(0, MAX_REPORTED_ERRORS) as unknown as Prisma.InputJsonValue,
    },
  });
}

/** One row, all or nothing, once per (file, line). */
async function applyRow(
  shopId: string,
  run: ImportRun,
  row: ImportRow,
  config: ProgramConfig,
  timeZone: string,
  now: Date,
): Promise<"applied" | "skipped"> {
  return prisma.$transaction(async (tx) => {
    let member = await findMember(tx, shopId, row);
    const key = rowKey(run.fileHash, row.line);
    // The key goes first: a row an earlier import of this file applied stops here, untouched.
    const { count } = await tx.importedRow.createMany({
      data: { shopId, rowKey: key, importRunId: run.id, memberId: member.id },
      skipDuplicates: true,
    });
    if (count === 0) return "skipped";
    // "add": the file's points join the balance; "set": the balance becomes them (the change is
    // computed against the balance at this moment, under the member's lock).
    const change =
      row.points === null
        ? 0
        : run.balanceMode === "set"
          ? row.points - member.pointsBalance
          : Math.max(0, row.points);
    if (change !== 0) {
      const result = await postEntry(tx, member, {
        kind: "import",
        source: "import",
        points: change,
        idempotencyKey: `import:${key}`,
        detail: {
          importRunId: run.id,
          line: row.line,
          fileName: run.fileName,
          mode: run.balanceMode,
        },
        now,
      });
      if (result.status === "insufficient") {
        // Held points cannot be taken away by an import: the line is refused, nothing changes.
        throw new LoyaltyError("insufficient_points", "import.line.insufficient", undefined, {
          available: result.available,
          points: -change,
        });
      }
      if (result.status === "posted") {
        member = result.member;
        const note =
          run.balanceMode === "set"
            ? `Balance set to ${row.points} by ${run.fileName}, line ${row.line}`
            : `Imported from ${run.fileName}, line ${row.line}`;
        const common = { order_id: null, order_name: null, note };
        if (change > 0) {
          const payload = { points: change, source: "import", ...common } as const;
          await recordEvent(tx, member, config, "points.added", payload, now);
        } else {
          // The catalog's points.subtracted has no import source: lowering a balance by import
          // is a staff adjustment, named as such in the note.
          const payload = { points: -change, source: "manual", ...common } as const;
          await recordEvent(tx, member, config, "points.subtracted", payload, now);
        }
      }
    }
    if (row.tier !== null) {
      const tier = tierByName(config, row.tier);
      if (!tier) {
        const { reason, params } = unknownTier(config, row.tier);
        throw new LoyaltyError("unknown_tier", reason, undefined, params);
      }
      if (member.tierId !== tier.id) {
        member = await assignTier(tx, member, config, timeZone, tier.id, null, now, "import");
      }
    }
    if (row.birthday !== null) {
      const b = row.birthday;
      if (
        member.birthMonth !== b.month ||
        member.birthDay !== b.day ||
        member.birthYear !== b.year
      ) {
        const previous = member.birthMonth;
        member = await tx.member.update({
          where: { id: member.id },
          data: { birthMonth: b.month, birthDay: b.day, birthYear: b.year },
        });
        await recordEvent(
          tx,
          member,
          config,
          "birth_month.captured",
          {
            birth_month: b.month,
            birth_day: b.day,
            previous_birth_month: previous,
          },
          now,
        );
      }
    }
    return "applied";
  });
}

async function findMember(
  tx: Prisma.TransactionClient,
  shopId: string,
  row: ImportRow,
): Promise<Member> {
  if (row.customerId !== null) {
    // The other app exported Shopify customers: one the app has not seen yet becomes a member.
    const { member } = await ensureMember(
      tx,
      shopId,
      { customerId: row.customerId, email: row.email },
      { source: "import" },
    );
    if (member.status !== "active")
      throw new LoyaltyError("member_not_found", "import.line.memberInactive", undefined, {
        id: String(row.customerId),
      });
    return member;
  }
  const matches = await tx.member.findMany({
    where: { shopId, status: "active", email: { equals: row.email!, mode: "insensitive" } },
    select: { customerId: true },
    take: 2,
  });
  if (matches.length !== 1) {
    const { reason, params } = emailProblem(row.email!, matches.length);
    throw new LoyaltyError("member_not_found", reason, undefined, params);
  }
  return lockMember(tx, shopId, matches[0]!.customerId);
}

/** The dry run's checks that need the shop: tier names exist, emails find exactly one member. */
async function matchRows(shopId: string, rows: ImportRow[], config: ProgramConfig) {
  const errors: LineError[] = [];
  const emails = [...new Set(rows.filter((r) => r.customerId === null).map((r) => r.email!))];
  const counts = new Map<string, number>();
  for (let i = 0; i < emails.length; i += 1000) {
    const found = await prisma.member.findMany({
      where: {
        shopId,
        status: "active",
        email: { in: emails.slice(i, i + 1000), mode: "insensitive" },
      },
      select: { email: true },
    });
    for (const m of found) {
      const email = m.email!.toLowerCase();
      counts.set(email, (counts.get(email) ?? 0) + 1);
    }
  }
  const ids = rows.filter((r) => r.customerId !== null).map((r) => r.customerId!);
  const inactive = new Map<bigint, string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const found = await prisma.member.findMany({
      where: { shopId, customerId: { in: ids.slice(i, i + 1000) }, status: { not: "active" } },
      select: { customerId: true, status: true },
    });
    for (const m of found) inactive.set(m.customerId, m.status);
  }
  for (const row of rows) {
    if (row.customerId === null && (counts.get(row.email!) ?? 0) !== 1) {
      errors.push({ line: row.line, ...emailProblem(row.email!, counts.get(row.email!) ?? 0) });
    } else if (row.customerId !== null && inactive.has(row.customerId)) {
      errors.push({
        line: row.line,
        reason: "import.line.memberInactive",
        params: { id: String(row.customerId) },
      });
    } else if (row.tier !== null && !tierByName(config, row.tier)) {
      errors.push({ line: row.line, ...unknownTier(config, row.tier) });
    }
  }
  return { errors };
}

function tierByName(config: ProgramConfig, name: string) {
  const wanted = name.toLowerCase();
  return config.tiers.find((t) => t.id === wanted || t.name.toLowerCase() === wanted);
}

/** A line's refusal as a copy key with its values (the page writes it in the staff's language). */
type Refusal = { reason: string; params: Record<string, string | number> };

function unknownTier(config: ProgramConfig, name: string): Refusal {
  const known = config.tiers.map((t) => t.name).join(", ");
  return known
    ? { reason: "import.line.unknownTier", params: { name, known } }
    : { reason: "import.line.unknownTierNone", params: { name } };
}

function emailProblem(email: string, count: number): Refusal {
  return count === 0
    ? { reason: "import.line.noEmailMatch", params: { email } }
    : { reason: "import.line.manyEmailMatches", params: { email, count } };
}
