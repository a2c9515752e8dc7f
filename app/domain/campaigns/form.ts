import { z } from "zod";
import { segmentInput, SegmentSchema, type SegmentFields } from "./segment";

// The campaign form: a name, what every member of the segment gets (points or a catalog reward,
// issue #21) and the segment. Messages are copy keys (app/locales/en.json).

/**
 * The most points one campaign gives each member: the bound of the program's own bonuses
 * (welcome, birthday, tier entry), so a typo of a few zeros cannot mint a fortune per member.
 * The copy of campaigns.error.points names it.
 */
export const MAX_CAMPAIGN_POINTS = 1_000_000;

/** What a campaign gives each member. */
export const CAMPAIGN_GIFTS = ["points", "reward"] as const;
export type CampaignGift = (typeof CAMPAIGN_GIFTS)[number];

const common = {
  name: z.string().trim().min(1, "campaigns.error.name").max(80, "campaigns.error.nameLong"),
  /** One per form shown: the second submit of the same form finds the first campaign. */
  requestKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "campaigns.error.reload"),
  segment: SegmentSchema,
};

const points = z
  .int("campaigns.error.points")
  .min(1, "campaigns.error.points")
  .max(MAX_CAMPAIGN_POINTS, "campaigns.error.points");

/** A campaign as the admin form submits it: the field `gives` decides which field counts. */
export const CampaignFormSchema = z.discriminatedUnion(
  "gives",
  [
    z.object({
      ...common,
      gives: z.literal("reward"),
      rewardHandle: z.string().trim().min(1, "campaigns.error.reward").max(60),
    }),
    z.object({ ...common, gives: z.literal("points"), points }),
  ],
  { error: "campaigns.error.gives" },
);

export type CampaignForm = z.output<typeof CampaignFormSchema>;

/** The form's text fields (tiers may repeat). */
export interface CampaignFields {
  name: string;
  requestKey: string;
  /** "points" or "reward"; blank reads as "reward" (see campaignFormInput). */
  gives: string;
  rewardHandle: string;
  points: string;
  segment: SegmentFields;
}

/**
 * The form's text as the schema's input. A form without `gives` is a reward campaign: pages
 * loaded before campaigns could give points post no such field. Points: blank is missing, a
 * whole number is a number, anything else stays text (and is refused as such).
 */
export function campaignFormInput(fields: CampaignFields) {
  const text = fields.points.trim();
  return {
    name: fields.name,
    requestKey: fields.requestKey,
    gives: fields.gives.trim() === "" ? "reward" : fields.gives.trim(),
    rewardHandle: fields.rewardHandle,
    points: text === "" ? undefined : /^-?\d+$/.test(text) ? Number(text) : text,
    segment: segmentInput(fields.segment),
  };
}
