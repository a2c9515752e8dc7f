import prisma from "~/db.server";
import { ReferralProgramSchema, type ReferralProgram } from "~/domain/referrals/rules";
import { RewardDefinitionSchema } from "~/domain/rewards/index";
import { translator, type Translate } from "~/lib/i18n";
import { fieldErrorsOf, type FieldErrors } from "~/lib/settings/field-errors";
import { saveReferralProgram } from "../referrals/program.server";
import { programInForce } from "./versions.server";
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

function unreadable(t: Translate): FormResult {
  return { ok: false, errors: { "": t("settings.errors.unreadable") } };
}

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
  t: Translate = translator("en"),
): Promise<FormResult> {
  const draft = parseDraft(draftJson);
  if (draft === null) return unreadable(t);
  const parsed = ReferralProgramSchema.safeParse(draft);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error.issues, t) };
  const program: ReferralProgram = parsed.data;
  for (const field of ["friendRewardHandle", "advocateRewardHandle"] as const) {
    const handle = program[field];
    if (handle === null) continue;
    const reward = await prisma.reward.findUnique({
      where: { shopId_handle: { shopId, handle } },
    });
    if (!reward) {
      return { ok: false, errors: { [field]: t("settings.referrals.errors.unknownReward") } };
    }
  }
  await saveReferralProgram(shopId, program);
  return { ok: true, message: t("settings.referrals.saved") };
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
  t: Translate = translator("en"),
): Promise<FormResult> {
  const draft = parseDraft(draftJson);
  if (draft === null) return unreadable(t);
  const parsed = RewardDefinitionSchema.safeParse(draft);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error.issues, t) };
  const existing = await prisma.reward.findUnique({
    where: { shopId_handle: { shopId, handle: parsed.data.handle } },
    select: { id: true },
  });
  if (mode === "create" && existing) {
    return { ok: false, errors: { handle: t("settings.rewards.errors.handleTaken") } };
  }
  if (mode === "edit" && (!existing || parsed.data.handle !== originalHandle)) {
    return { ok: false, errors: { handle: t("settings.rewards.errors.handleFixed") } };
  }
  // A reward limited to a tier the program does not have could never be redeemed.
  const { config } = await programInForce(prisma, shopId);
  const tiers = new Set(config.tiers.map((tier) => tier.id));
  if (parsed.data.eligibleTierIds.some((id) => !tiers.has(id))) {
    return { ok: false, errors: { eligibleTierIds: t("settings.rewards.errors.unknownTier") } };
  }
  await saveReward(shopId, parsed.data);
  return { ok: true, message: t("settings.rewards.saved", { name: parsed.data.name }) };
}

export async function toggleReward(
  shopId: string,
  handle: string,
  enabled: boolean,
  t: Translate = translator("en"),
): Promise<FormResult> {
  try {
    await setRewardEnabled(shopId, handle, enabled);
  } catch (error) {
    if (error instanceof LoyaltyError && error.code === "reward_not_found") {
      return { ok: false, errors: { "": t("settings.rewards.errors.notFound") } };
    }
    if (error instanceof LoyaltyError) return { ok: false, errors: { "": error.message } };
    throw error;
  }
  return {
    ok: true,
    message: t(enabled ? "settings.rewards.turnedOn" : "settings.rewards.turnedOff"),
  };
}
