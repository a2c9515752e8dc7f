import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import {
  campaignFormInput,
  CampaignFormSchema,
  grantRefusal,
  SegmentSchema,
  type CampaignFields,
  type CampaignForm,
  type CampaignGift,
  type Segment,
} from "~/domain/campaigns/index";
import { RewardDefinitionSchema } from "~/domain/rewards/index";
import { queueRewardCampaign } from "~/jobs/queues/send.server";
import { queueRewardGrant } from "~/jobs/queues/send.server";
import { tMaybe, translator, type Translate } from "~/lib/i18n";
import { fieldErrorsOf, type FieldErrors } from "~/lib/settings/field-errors";
import { programInForce } from "../program/versions.server";
import { creditCampaignPoints } from "./points.server";
import { segmentCondition } from "./segment-sql.server";

/** The campaign form as the route read it (text fields; tiers may repeat). */
export type CampaignInput = CampaignFields;

export type CampaignCheck = { ok: true; form: CampaignForm } | { ok: false; errors: FieldErrors };

/**
 * The form checked as the merchant would want it: the segment's bounds, tiers of the program, and
 * either points within bounds or a reward of the catalog that can be granted without points (as
 * Flow's "grant reward" needs). Every field's problem at once, keyed by the form's field names.
 */
export async function checkCampaign(
  shopId: string,
  input: CampaignInput,
  t: Translate = translator("en"),
): Promise<CampaignCheck> {
  const fields = campaignFormInput(input);
  const parsed = CampaignFormSchema.safeParse(fields);
  const errors: FieldErrors = {};
  if (!parsed.success) {
    Object.assign(errors, fieldErrorsOf(parsed.error.issues, t));
  }
  const handle = input.rewardHandle.trim();
  if (fields.gives === "reward" && handle !== "" && !errors.rewardHandle) {
    const refusal = grantRefusal(await catalogReward(shopId, handle));
    if (refusal) errors.rewardHandle = tMaybe(refusal, t);
  }
  if (parsed.success && parsed.data.segment.tierIds.length > 0) {
    const { config } = await programInForce(prisma, shopId);
    const known = new Set(config.tiers.map((tier) => tier.id));
    if (parsed.data.segment.tierIds.some((id) => !known.has(id))) {
      errors["segment.tierIds"] = t("campaigns.error.tier");
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, form: parsed.data };
}

async function catalogReward(shopId: string, handle: string) {
  const row = await prisma.reward.findUnique({ where: { shopId_handle: { shopId, handle } } });
  const definition = row ? RewardDefinitionSchema.safeParse(row.definition) : null;
  return definition?.success ? definition.data : null;
}

/** The members the segment takes now and, for a campaign of points, what each one gets. */
export type PreviewResult =
  { ok: true; matching: number; points?: number } | { ok: false; errors: FieldErrors };

/** How many members the segment takes right now (the "preview" step of the form). */
export async function previewCampaign(
  shopId: string,
  input: CampaignInput,
  t: Translate = translator("en"),
): Promise<PreviewResult> {
  const check = await checkCampaign(shopId, input, t);
  if (!check.ok) return check;
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  const [row] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Member" m
    WHERE ${segmentCondition(shopId, check.form.segment, shop.timeZone, null)}`;
  const matching = row?.n ?? 0;
  return check.form.gives === "points"
    ? { ok: true, matching, points: check.form.points }
    : { ok: true, matching };
}

export type CreateResult =
  | { ok: true; campaignId: string; created: boolean; gives: CampaignGift }
  | { ok: false; errors: FieldErrors };

/**
 * Records the campaign and queues its fan-out, in one transaction. The form's request key is
 * unique per shop: a second submit of the same form answers with the first campaign.
 */
export async function createCampaign(
  shopId: string,
  input: CampaignInput,
  t: Translate = translator("en"),
): Promise<CreateResult> {
  const check = await checkCampaign(shopId, input, t);
  if (!check.ok) return check;
  const { form } = check;
  const { name, requestKey, segment } = form;
  const gift =
    form.gives === "points"
      ? { points: form.points, rewardHandle: null }
      : { points: null, rewardHandle: form.rewardHandle };
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.rewardCampaign.createMany({
      data: { shopId, name, requestKey, segment: segment as Prisma.InputJsonValue, ...gift },
      skipDuplicates: true,
    });
    const campaign = await tx.rewardCampaign.findUniqueOrThrow({
      where: { shopId_requestKey: { shopId, requestKey } },
    });
    if (count === 1) await queueRewardCampaign(tx, { shopId, campaignId: campaign.id });
    return { ok: true as const, campaignId: campaign.id, created: count === 1, gives: form.gives };
  });
}

/**
 * The fan-out: one INSERT … SELECT records a grant for every member of the segment who had joined
 * when the campaign was created, and the campaign moves to `granting` in the same transaction,
 * with the grant issuing job queued. A retried job finds the campaign past `queued` and records
 * nothing; were it to run the statement again, the grants' unique keys would hold.
 * A campaign of points has no grants to issue: its fan-out credits the members, a page at a time
 * (points.server.ts).
 */
export async function fanOutCampaign(shopId: string, campaignId: string) {
  const gift = await prisma.rewardCampaign.findFirst({
    where: { id: campaignId, shopId },
    select: { points: true },
  });
  if (gift?.points != null) return creditCampaignPoints(shopId, campaignId);
  return prisma.$transaction(
    async (tx) => {
      const [campaign] = await tx.$queryRaw<
        { state: string; segment: unknown; rewardHandle: string | null; createdAt: Date }[]
      >`
        SELECT state, segment, "rewardHandle", "createdAt" FROM "RewardCampaign"
        WHERE id = ${campaignId}::uuid AND "shopId" = ${shopId}::uuid
        FOR UPDATE`;
      if (!campaign) return { state: "missing", recorded: 0 };
      const { rewardHandle } = campaign;
      if (campaign.state !== "queued" || rewardHandle === null) {
        return { state: campaign.state, recorded: 0 };
      }
      const parsed = SegmentSchema.safeParse(campaign.segment);
      if (!parsed.success) {
        // A stored segment this version cannot read would fail every retry: say so, once.
        await tx.rewardCampaign.update({
          where: { id: campaignId },
          data: { state: "failed", lastError: `unreadable segment: ${parsed.error.message}` },
        });
        return { state: "failed", recorded: 0 };
      }
      const segment = parsed.data;
      const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
      const recorded = await recordGrants(
        tx,
        shopId,
        campaignId,
        { rewardHandle, createdAt: campaign.createdAt },
        segment,
        shop.timeZone,
      );
      const matched = await tx.rewardGrant.count({ where: { shopId, campaignId } });
      const now = new Date();
      const state = matched === 0 ? "granted" : "granting";
      await tx.rewardCampaign.update({
        where: { id: campaignId },
        data: { state, matchedMembers: matched, grantedAt: matched === 0 ? now : null },
      });
      if (matched > 0) await queueRewardGrant(tx, shopId);
      return { state, recorded, matched };
    },
    { maxWait: 30_000, timeout: 300_000 },
  );
}

function recordGrants(
  tx: Prisma.TransactionClient,
  shopId: string,
  campaignId: string,
  campaign: { rewardHandle: string; createdAt: Date },
  segment: Segment,
  timeZone: string,
) {
  return tx.$executeRaw`
    INSERT INTO "RewardGrant" ("id", "shopId", "memberId", "customerId", "occasion",
      "rewardHandle", "idempotencyKey", "campaignId", "updatedAt")
    SELECT gen_random_uuid(), m."shopId", m."id", m."customerId", 'one_time_campaign',
      ${campaign.rewardHandle}, 'grant:campaign:' || ${campaignId}::text || ':' || m."id"::text,
      ${campaignId}::uuid, now()
    FROM "Member" m
    WHERE ${segmentCondition(shopId, segment, timeZone, campaign.createdAt)}
    ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING`;
}

/**
 * After an issuing run: campaigns with no grant left pending are done, `granted` when at least
 * one reward was issued, `failed` when every grant failed (the failed grants list says why).
 * Campaigns of points have no grants: their fan-out settles them (points.server.ts).
 */
export async function settleCampaigns(shopId: string, now = new Date()) {
  const granting = await prisma.rewardCampaign.findMany({
    where: { shopId, state: "granting", points: null },
    select: { id: true },
  });
  for (const { id } of granting) {
    const counts = await prisma.rewardGrant.groupBy({
      by: ["state"],
      where: { shopId, campaignId: id },
      _count: { _all: true },
    });
    const of = (state: string) => counts.find((c) => c.state === state)?._count._all ?? 0;
    if (of("pending") > 0) continue;
    await prisma.rewardCampaign.updateMany({
      where: { id, shopId, state: "granting" },
      data: { state: of("issued") > 0 ? "granted" : "failed", grantedAt: now },
    });
  }
}
