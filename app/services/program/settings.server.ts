import { translator, type Translate } from "~/lib/i18n";
import prisma from "~/db.server";
import { isUniqueViolation } from "~/db/errors";
import type { ProgramConfig } from "~/domain/program/index";
import { fieldErrorsOf, type FieldErrors } from "~/lib/settings/field-errors";
import {
  programSectionSchema,
  withSection,
  type ProgramSectionKey,
} from "~/lib/settings/program-sections";
import { programInForce, saveProgram } from "./versions.server";

export interface RecomputeProgress {
  toVersion: number;
  state: string;
  totalMembers: number;
  processedMembers: number;
  tierChanges: number;
  queuedAt: Date;
  finishedAt: Date | null;
  lastError: string | null;
}

export interface ProgramSettings {
  version: number;
  config: ProgramConfig;
  /** Active members: how many a tier or expiry change recomputes. */
  activeMembers: number;
  recompute: RecomputeProgress | null;
  currency: string;
  timeZone: string;
}

export async function programSettings(shopId: string): Promise<ProgramSettings> {
  const [program, activeMembers, recompute, shop] = await Promise.all([
    programInForce(prisma, shopId),
    prisma.member.count({ where: { shopId, status: "active" } }),
    latestRecompute(shopId),
    prisma.shop.findUniqueOrThrow({
      where: { id: shopId },
      select: { currency: true, timeZone: true },
    }),
  ]);
  return { ...program, activeMembers, recompute, ...shop };
}

/** The newest recompute a save queued, with its progress. */
export async function latestRecompute(shopId: string): Promise<RecomputeProgress | null> {
  return prisma.recomputeRun.findFirst({
    where: { shopId },
    orderBy: { toVersion: "desc" },
    select: {
      toVersion: true,
      state: true,
      totalMembers: true,
      processedMembers: true,
      tierChanges: true,
      queuedAt: true,
      finishedAt: true,
      lastError: true,
    },
  });
}

export type SaveSectionResult =
  | { ok: true; version: number; changed: string[]; recomputeQueued: boolean }
  | { ok: false; errors: FieldErrors };

/**
 * Saves one settings page's draft as a new program version. The draft is checked with the
 * section's own schema first (so errors carry the form's paths), then saveProgram parses the
 * whole config again; bad input changes nothing.
 */
export async function saveProgramSection(
  shopId: string,
  section: ProgramSectionKey,
  draftJson: unknown,
  createdBy: string | null,
  t: Translate = translator("en"),
): Promise<SaveSectionResult> {
  let draft: unknown;
  try {
    draft = typeof draftJson === "string" ? JSON.parse(draftJson) : null;
  } catch {
    draft = null;
  }
  if (draft === null || typeof draft !== "object" || Array.isArray(draft)) {
    return { ok: false, errors: { "": t("settings.errors.unreadable") } };
  }
  const parsed = programSectionSchema(section).safeParse(draft);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error.issues, t) };
  try {
    return await saveSectionVersion(
      shopId,
      section,
      parsed.data as Record<string, unknown>,
      createdBy,
    );
  } catch (error) {
    // Another save took this version number first (unique shopId + version): nothing was saved.
    if (isUniqueViolation(error)) {
      return {
        ok: false,
        errors: { "": t("settings.errors.conflict") },
      };
    }
    throw error;
  }
}

function saveSectionVersion(
  shopId: string,
  section: ProgramSectionKey,
  draft: Record<string, unknown>,
  createdBy: string | null,
): Promise<SaveSectionResult> {
  return prisma.$transaction(async (tx) => {
    const current = await programInForce(tx, shopId);
    const saved = await saveProgram(
      tx,
      shopId,
      withSection(current.config, section, draft),
      createdBy,
    );
    return {
      ok: true as const,
      version: saved.version,
      changed: saved.changed,
      recomputeQueued: saved.recomputeQueued,
    };
  });
}
