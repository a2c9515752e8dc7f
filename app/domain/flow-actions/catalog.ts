import { z } from "zod";

// The app's Shopify Flow actions (docs/event-catalog.md §3): one definition per action, used to
// generate each extensions/<handle>/shopify.extension.toml and to parse the action's request body.
// Field rules: shopify-platform.md §3 (action field types, customer_reference → customer_id).

export type ActionFieldType =
  | "boolean"
  | "email"
  | "multi_line_text_field"
  | "number_integer"
  | "number_decimal"
  | "single_line_text_field"
  | "url";

export interface ActionField {
  key: string;
  name: string;
  description: string;
  type: ActionFieldType;
  required: boolean;
}

export interface FlowActionDefinition<Schema extends z.ZodType = z.ZodType> {
  handle: string;
  name: string;
  description: string;
  /** Relative to application_url; Flow resolves it on every run. */
  runtimeUrl: string;
  fields: ActionField[];
  /** Parses `properties` from the request (Flow sends strings for some types; coerce). */
  properties: Schema;
}

/** Shopify ids are 64-bit: anything larger can name no customer (and no database column holds it). */
const MAX_SHOPIFY_ID = 9_223_372_036_854_775_807n;

/** Flow sends the customer as `customer_id`: a numeric id, as a number or a string. */
const customerId = z
  .union([z.number().int().positive(), z.string().regex(/^\d{1,19}$/)])
  .transform(BigInt)
  .refine((id) => id > 0n && id <= MAX_SHOPIFY_ID, "customer_id is not a Shopify customer id");
const positivePoints = z.coerce
  .number()
  .int("points must be a whole number")
  .positive("points must be above 0")
  .max(1_000_000);
const optionalNote = z
  .string()
  .max(500)
  .nullish()
  .transform((v) => (v ? v : null));
const optionalBoolean = z
  .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
  .nullish()
  .transform((v) => v ?? false);

const noteField: ActionField = {
  key: "note",
  name: "Note",
  description: "Shown in the member's history and sent with the loyalty event.",
  type: "single_line_text_field",
  required: false,
};

export const addPoints = {
  handle: "loyalty-add-points",
  name: "Add loyalty points",
  description: "Credits loyalty points to the customer.",
  runtimeUrl: "/flow/add-points",
  fields: [
    {
      key: "points",
      name: "Points",
      description: "Points to add (a whole number above 0).",
      type: "number_integer",
      required: true,
    },
    noteField,
  ],
  properties: z.object({ customer_id: customerId, points: positivePoints, note: optionalNote }),
} satisfies FlowActionDefinition;

export const subtractPoints = {
  handle: "loyalty-subtract-points",
  name: "Subtract loyalty points",
  description: "Debits loyalty points from the customer.",
  runtimeUrl: "/flow/subtract-points",
  fields: [
    {
      key: "points",
      name: "Points",
      description: "Points to subtract (a whole number above 0).",
      type: "number_integer",
      required: true,
    },
    noteField,
    {
      key: "allow_negative",
      name: "Allow negative balance",
      description: "Subtract even when the member has fewer points (the balance goes below 0).",
      type: "boolean",
      required: false,
    },
  ],
  properties: z.object({
    customer_id: customerId,
    points: positivePoints,
    note: optionalNote,
    allow_negative: optionalBoolean,
  }),
} satisfies FlowActionDefinition;

export const setVipTier = {
  handle: "loyalty-set-vip-tier",
  name: "Set VIP tier",
  description: "Assigns the customer a VIP tier, optionally locked until a date.",
  runtimeUrl: "/flow/set-vip-tier",
  fields: [
    {
      key: "tier",
      name: "Tier",
      description: "The tier's name or id as set up in the app; empty removes the tier.",
      type: "single_line_text_field",
      required: false,
    },
    {
      key: "lock_until",
      name: "Lock until",
      description: "YYYY-MM-DD: spending cannot move the member below this tier before then.",
      type: "single_line_text_field",
      required: false,
    },
  ],
  properties: z.object({
    customer_id: customerId,
    tier: z
      .string()
      .max(100)
      .nullish()
      .transform((v) => (v ? v.trim() : null)),
    lock_until: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "lock_until must be a date like 2027-01-31")
      .nullish()
      .or(z.literal("").transform(() => null))
      .transform((v) => v ?? null),
  }),
} satisfies FlowActionDefinition;

export const setBirthday = {
  handle: "loyalty-set-birthday",
  name: "Set birthday",
  description: "Stores the customer's birthday for birthday rewards.",
  runtimeUrl: "/flow/set-birthday",
  fields: [
    { key: "month", name: "Month", description: "1–12.", type: "number_integer", required: true },
    {
      key: "day",
      name: "Day",
      description: "1–31 (29 February is allowed).",
      type: "number_integer",
      required: true,
    },
  ],
  properties: z.object({
    customer_id: customerId,
    month: z.coerce.number().int(),
    day: z.coerce.number().int(),
  }),
} satisfies FlowActionDefinition;

export const grantReward = {
  handle: "loyalty-grant-reward",
  name: "Grant loyalty reward",
  description: "Issues a reward from the app's catalog to the customer without spending points.",
  runtimeUrl: "/flow/grant-reward",
  fields: [
    {
      key: "reward",
      name: "Reward",
      description: "The reward's handle as set up in the app, e.g. five-off.",
      type: "single_line_text_field",
      required: true,
    },
  ],
  properties: z.object({
    customer_id: customerId,
    reward: z.string().trim().min(1, "reward: give the reward's handle").max(60),
  }),
} satisfies FlowActionDefinition;

export const customActionPoints = {
  handle: "loyalty-custom-action-points",
  name: "Add points for a custom action",
  description:
    "Credits the points of a custom action set up in the loyalty app's Settings (a review, a survey), within its limit per member.",
  runtimeUrl: "/flow/custom-action-points",
  fields: [
    {
      key: "action_name",
      name: "Action name",
      description:
        "The name of a custom action switched on in the loyalty app's Settings > Bonuses & birthdays, e.g. Leave a product review (case and spaces do not matter). Its points and limit per member are set there; an unknown or switched-off name adds nothing.",
      type: "single_line_text_field",
      required: true,
    },
  ],
  // Points, limit and period come from Settings (ADR 0072, amended). Fields of workflows made
  // before that (points, limit, period) may still arrive and are ignored.
  properties: z.object({
    customer_id: customerId,
    action_name: z
      .string("action_name: give the action's name")
      .trim()
      .min(1, "action_name: give the action's name")
      .max(100, "action_name: at most 100 characters"),
  }),
} satisfies FlowActionDefinition;

/** Every action the app offers. */
export const FLOW_ACTIONS = [
  addPoints,
  subtractPoints,
  setVipTier,
  setBirthday,
  grantReward,
  customActionPoints,
] as const;
