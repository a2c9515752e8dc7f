export {
  CAMPAIGN_GIFTS,
  campaignFormInput,
  CampaignFormSchema,
  MAX_CAMPAIGN_POINTS,
  type CampaignFields,
  type CampaignForm,
  type CampaignGift,
} from "./form";
export { grantRefusal } from "./grantable";
export {
  describeSegment,
  joinWindow,
  matchesSegment,
  segmentInput,
  SegmentSchema,
  type Segment,
  type SegmentClause,
  type SegmentFields,
  type SegmentMember,
} from "./segment";
