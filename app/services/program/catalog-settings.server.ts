import prisma from "~/db.server";
import { ReferralProgramSchema, type ReferralProgram } from "~/domain/referrals/rules";
import { RewardDefinitionSchema } from "~/domain/rewards/index";
import { fieldErrorsOf, type FieldErrors } from "~/lib/settings/field-errors";
import { saveReferralProgram } from "../referrals/program.server";
import { listRewards, saveReward, setRewardEnabled } from "../rewards/catalog.server";
import { LoyaltyError } from "../errors";

export type FormResult = { ok: true; message: string } | { ok: false; errors: FieldErrors };

function parseDraft(json: unknown): unknown {
  if (typeof json !== "string") return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

const unreadable: FormResult = {
  ok: false,
  errors: { "": "The form could not be read; reload the page" },
};

const REJECTIONS_SHOWN = 25;

export async function referralSettings(shopId: string) {
  const [row, rewards, rejections] = await Promise.all([
    prisma.referralProgram.findUnique({ where: { shopId } }),
    listRewards(shopId),
    // The newest refusals, for the merchant to see what the fraud rules stopped and why.
    prisma.referralRejection.findMany({
      where: { shopId },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      take: REJECTIONS_SHOWN,
    }),
  ]);
  return {
    program: ReferralProgramSchema.parse(row?.config ?? {}),
    rejections: rejections.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      code: r.code,
      friendCustomerId: r.friendCustomerId.toString(),
      reason: r.reason,
      detail: r.detail,
    })),
    rewards: rewards.map((r) => ({
      handle: r.definition.handle,
      name: r.definition.name,
      enabled: r.definition.enabled,
    })),
  };
}

/** Saves the referral program; the friend's and advocate's rewards must be the shop's rewards. */
export async function saveReferralSettings(
  shopId: string,
  draftJson: unknown,
): Promise<FormResult> {
  const draft = parseDraft(draftJson);
  if (draft === null) return unreadable;
  const parsed = ReferralProgramSchema.safeParse(draft);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error.issues) };
  const program: ReferralProgram = parsed.data;
  for (const field of ["friendRewardHandle", "advocateRewardHandle"] as const) {
    const handle = program[field];
    if (handle === null) continue;
    const reward = await prisma.reward.findUnique({
      where: { shopId_handle: { shopId, handle } },
    });
    if (!reward) {
      return { ok: false, errors: { [field]: "Choose one of your rewards (or none)" } };
    }
  }
  await saveReferralProgram(shopId, program);
  return { ok: true, message: "Referral program saved" };
}

export async function rewardSettings(shopId: string) {
  return (await listRewards(shopId)).map((reward) => reward.definition);
}

/**
 * Creates a reward (`mode` create: its handle must be new, or it would replace another reward)
 * or replaces the one being edited (the handle cannot change: Flow and the storefront use it).
 */
export async function saveRewardSettings(
  shopId: string,
  mode: "create" | "edit",
  originalHandle: string | null,
  draftJson: unknown,
): Promise<FormResult> {
  const draft = parseDraft(draftJson);
  if (draft === null) return unreadable;
  const parsed = RewardDefinitionSchema.safeParse(draft);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error.issues) };
  const existing = await prisma.reward.findUnique({
    where: { shopId_handle: { shopId, handle: parsed.data.handle } },
    select: { id: true },
  });
  if (mode === "create" && existing) {
    return { ok: false, errors: { handle: "Another reward already uses this handle" } };
  }
  if (mode === "edit" && (!existing || parsed.data.handle !== originalHandle)) {
    return { ok: false, errors: { handle: "The handle of an existing reward cannot change" } };
  }
  await saveReward(shopId, parsed.data);
  return { ok: true, message: `Reward "${parsed.data.name}" saved` };
}

export async function toggleReward(
  shopId: string,
  handle: string,
  enabled: boolean,
): Promise<FormResult> {
  try {
    await setRewardEnabled(shopId, handle, enabled);
  } catch (error) {
    if (error instanceof LoyaltyError) return { ok: false, errors: { "": error.message } };
    throw error;
  }
  return { ok: true, message: enabled ? "Reward turned on" : "Reward turned off" };
}
