export { grantRefusal } from "./grantable";
export {
  CampaignFormSchema,
  describeSegment,
  joinWindow,
  matchesSegment,
  segmentInput,
  SegmentSchema,
  type CampaignForm,
  type Segment,
  type SegmentClause,
  type SegmentFields,
  type SegmentMember,
} from "./segment";
