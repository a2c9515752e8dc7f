import { describe, expect, it } from "vitest";
import type { JsonSchema, KlaviyoOperation } from "./openapi";
import { STAND_IN_OPERATIONS, loadKlaviyoContract } from "./openapi";
import { validateAgainstSchema } from "./openapi-validator";
import { bulkEventsBody, eventBody, profileBody } from "./test-helpers";

const contract = loadKlaviyoContract();
const opts = { resolveRef: contract.resolveRef };

function requestSchema(op: KlaviyoOperation): JsonSchema {
  const schema = contract.operation(op).requestSchema;
  if (!schema) throw new Error(`${op} has no request body`);
  return schema;
}

describe("the committed Klaviyo contract", () => {
  it("is revision 2026-07-15 and has every operation the stand-in serves, with rate limits", () => {
    expect(contract.revision).toBe("2026-07-15");
    for (const op of STAND_IN_OPERATIONS) expect(contract.operation(op).limits).toBeDefined();
    expect(contract.operation("create_list").limits).toEqual({
      burst: 10,
      steady: 150,
      daily: 150,
    });
  });
});

describe("validateAgainstSchema on Klaviyo's request schemas", () => {
  const fullProfile = {
    email: "ada@example.com",
    phone_number: "+15555550100",
    external_id: "shopify:1",
    first_name: null,
    location: null,
    properties: { loyalty_points_balance: 1250, nested: { ok: true } },
  };
  const valid: [KlaviyoOperation, unknown][] = [
    ["create_event", eventBody({ uniqueId: "u1", value: 3, time: "2026-01-01T00:00:00Z" })],
    ["bulk_create_events", bulkEventsBody([{ email: "a@b.co", events: [{ uniqueId: "u" }] }])],
    [
      "create_or_update_profile",
      {
        ...profileBody(fullProfile),
        data: { ...profileBody(fullProfile).data, meta: { patch_properties: { unset: ["x"] } } },
      },
    ],
    [
      "bulk_import_profiles",
      {
        data: {
          type: "profile-bulk-import-job",
          attributes: { profiles: { data: [profileBody(fullProfile).data] } },
          relationships: { lists: { data: [{ type: "list", id: "AbC123" }] } },
        },
      },
    ],
    [
      "bulk_subscribe_profiles",
      {
        data: {
          type: "profile-subscription-bulk-create-job",
          attributes: {
            historical_import: false,
            profiles: {
              data: [
                {
                  type: "profile",
                  attributes: {
                    email: "a@b.co",
                    subscriptions: {
                      email: { marketing: { consent: "SUBSCRIBED", consented_at: null } },
                    },
                  },
                },
              ],
            },
          },
        },
      },
    ],
    [
      "create_list",
      { data: { type: "list", attributes: { name: "VIP", opt_in_process: "single_opt_in" } } },
    ],
  ];
  it.each(valid)("accepts a well-formed %s body", (op, body) => {
    expect(validateAgainstSchema(body, requestSchema(op), opts)).toEqual([]);
  });

  it("honours nullable next to $ref and oneOf branches (location.latitude: string | number)", () => {
    const schema = requestSchema("create_or_update_profile");
    const withLatitude = (latitude: unknown) =>
      profileBody({ email: "a@b.co", location: { latitude } });
    expect(validateAgainstSchema(withLatitude("52.1"), schema, opts)).toEqual([]);
    expect(validateAgainstSchema(withLatitude(52.1), schema, opts)).toEqual([]);
    expect(validateAgainstSchema(withLatitude(null), schema, opts)).toEqual([]);
    expect(validateAgainstSchema(withLatitude(true), schema, opts)).toEqual([
      {
        pointer: "/data/attributes/location/latitude",
        detail: "Expected string or number, got boolean.",
      },
    ]);
  });

  it("names the resource in unknown-field errors and escapes pointer tokens", () => {
    const schema = requestSchema("create_or_update_profile");
    const body = profileBody({ email: "a@b.co", phoneNumber: "+1", "a/b~c": 1 });
    expect(validateAgainstSchema(body, schema, opts)).toEqual([
      {
        pointer: "/data/attributes/phoneNumber",
        detail: "'phoneNumber' is not a valid field for the resource 'profile'.",
      },
      {
        pointer: "/data/attributes/a~1b~0c",
        detail: "'a/b~c' is not a valid field for the resource 'profile'.",
      },
    ]);
    expect(validateAgainstSchema(body, schema, { ...opts, rejectUnknownFields: false })).toEqual(
      [],
    );
  });

  it("reports required fields, enums and non-null violations", () => {
    const schema = requestSchema("create_list");
    expect(
      validateAgainstSchema({ data: { type: "lists", attributes: { name: "x" } } }, schema, opts),
    ).toEqual([{ pointer: "/data/type", detail: '"lists" is not one of "list".' }]);
    expect(validateAgainstSchema({ data: { type: "list", attributes: {} } }, schema, opts)).toEqual(
      [
        {
          pointer: "/data/attributes/name",
          detail: "'name' is a required field for the resource 'list'.",
        },
      ],
    );
    expect(
      validateAgainstSchema({ data: { type: "list", attributes: { name: null } } }, schema, opts),
    ).toEqual([{ pointer: "/data/attributes/name", detail: "This field may not be null." }]);
  });

  it("supports maxItems, items and integer for schemas that declare them", () => {
    const schema: JsonSchema = { type: "array", maxItems: 2, items: { type: "integer" } };
    expect(validateAgainstSchema([1, 2], schema, opts)).toEqual([]);
    expect(validateAgainstSchema([1, 2, 3], schema, opts)).toEqual([
      { pointer: "", detail: "Must contain at most 2 items." },
    ]);
    expect(validateAgainstSchema([1, 2.5], schema, opts)).toEqual([
      { pointer: "/1", detail: "Expected integer, got number." },
    ]);
  });
});
