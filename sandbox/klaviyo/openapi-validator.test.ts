import { describe, expect, it } from "vitest";
import type { JsonSchema, KlaviyoOperation } from "./openapi";
import { STAND_IN_OPERATIONS, loadKlaviyoContract } from "./openapi";
import { validateAgainstSchema } from "./openapi-validator";
import { validateAgainstSchemaReference } from "./openapi-validator-reference";
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

/** mulberry32: a seeded generator, so a failing case can be replayed. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Node = { parent: Record<string, unknown> | unknown[]; key: string | number };

/** Every property and array item of a JSON value, as (container, key) pairs. */
function nodesOf(value: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push({ parent: value, key: i });
      nodesOf(item, out);
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      out.push({ parent: value as Record<string, unknown>, key });
      nodesOf(child, out);
    }
  }
  return out;
}

const REPLACEMENTS: unknown[] = [
  null,
  42,
  4.5,
  Number.NaN,
  "x",
  "",
  "not a date",
  "2026-13-45T99:00:00Z",
  "2026-01-01T00:00:00Z",
  true,
  [],
  [1, "a", null],
  {},
  { type: "profile", attributes: {} },
  { data: [] },
  { data: null },
  "event-bulk-create",
  "profile",
  "SUBSCRIBED",
];
const NEW_KEYS = ["phoneNumber", "uniqueId", "a/b~c", "extra", "type", "attributes", "data", "id"];

/** Replaces, deletes or adds a few values somewhere in a copy of `body`. */
function mutate(body: unknown, random: () => number): unknown {
  const copy = structuredClone(body);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // A fresh copy each time: a shared replacement could end up inside itself.
  const replacement = () => structuredClone(pick(REPLACEMENTS));
  const mutations = 1 + Math.floor(random() * 3);
  for (let m = 0; m < mutations; m++) {
    const nodes = nodesOf(copy);
    if (nodes.length === 0) break;
    const { parent, key } = pick(nodes);
    const kind = random();
    if (kind < 0.5) (parent as Record<string | number, unknown>)[key] = replacement();
    else if (kind < 0.75 && !Array.isArray(parent)) delete parent[key as string];
    else {
      const target = (parent as Record<string | number, unknown>)[key];
      if (typeof target === "object" && target !== null && !Array.isArray(target)) {
        (target as Record<string, unknown>)[pick(NEW_KEYS)] = replacement();
      } else if (Array.isArray(target)) target.push(replacement());
    }
  }
  return copy;
}

describe("the compiled validator reports exactly what the interpreter it replaced reported", () => {
  const bodies: [KlaviyoOperation, unknown][] = [
    ["create_event", eventBody({ uniqueId: "u1", value: 3, time: "2026-01-01T00:00:00Z" })],
    [
      "bulk_create_events",
      bulkEventsBody([
        { email: "a@b.co", events: [{ uniqueId: "u", time: "2026-01-01T00:00:00Z" }] },
        { email: "c@d.co", events: [{ uniqueId: "v", value: 2 }, { uniqueId: "w" }] },
      ]),
    ],
    [
      "create_or_update_profile",
      profileBody({
        email: "ada@example.com",
        location: { latitude: "52.1", longitude: 4.3, city: "Leiden" },
        properties: { loyalty_points_balance: 1250 },
      }),
    ],
    [
      "bulk_import_profiles",
      {
        data: {
          type: "profile-bulk-import-job",
          attributes: {
            profiles: {
              data: [
                profileBody({ email: "a@b.co", properties: { tier: "Gold" } }).data,
                profileBody({ phone_number: "+15555550100", location: null }).data,
              ],
            },
          },
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
            profiles: {
              data: [
                {
                  type: "profile",
                  attributes: {
                    email: "a@b.co",
                    subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } },
                  },
                },
              ],
            },
          },
          relationships: { list: { data: { type: "list", id: "AbC123" } } },
        },
      },
    ],
    ["create_list", { data: { type: "list", attributes: { name: "VIP" } } }],
  ];

  it.each(bodies)("on 400 mutated %s bodies, with every option", (op, body) => {
    const schema = requestSchema(op);
    const random = seeded(op.length * 7919);
    const optionSets = [
      opts,
      { ...opts, maxViolations: 2 },
      { ...opts, rejectUnknownFields: false },
    ];
    expect(validateAgainstSchema(body, schema, opts)).toEqual([]);
    let rejected = 0;
    for (let i = 0; i < 400; i++) {
      const mutated = mutate(body, random);
      for (const options of optionSets) {
        const expected = validateAgainstSchemaReference(mutated, schema, options);
        expect(validateAgainstSchema(mutated, schema, options)).toEqual(expected);
        if (options === opts && expected.length > 0) rejected++;
      }
    }
    // The mutations must actually exercise the error paths, not only valid bodies.
    expect(rejected).toBeGreaterThan(200);
  });

  it("rejects a malformed event deep inside a 1,000-event bulk request with the same text", () => {
    const schema = requestSchema("bulk_create_events");
    const entries = Array.from({ length: 1000 }, (_, i) => ({
      email: `member${i}@example.com`,
      events: [{ uniqueId: `e${i}`, time: "2026-01-01T00:00:00Z" }],
    }));
    const body = bulkEventsBody(entries) as {
      data: { attributes: { "events-bulk-create": { data: { attributes: unknown }[] } } };
    };
    expect(validateAgainstSchema(body, schema, opts)).toEqual([]);
    const deep = body.data.attributes["events-bulk-create"].data[998]!.attributes as {
      events: { data: { attributes: Record<string, unknown> }[] };
    };
    deep.events.data[0]!.attributes.metric = {
      data: { type: "metric", attributes: { name: 7 } },
    };
    deep.events.data[0]!.attributes.uniqueId = "camel";
    const expected = [
      {
        pointer:
          "/data/attributes/events-bulk-create/data/998/attributes/events/data/0/attributes/metric/data/attributes/name",
        detail: "Expected string, got number.",
      },
      {
        pointer:
          "/data/attributes/events-bulk-create/data/998/attributes/events/data/0/attributes/uniqueId",
        detail: "'uniqueId' is not a valid field for the resource 'event'.",
      },
    ];
    expect(validateAgainstSchemaReference(body, schema, opts)).toEqual(expected);
    expect(validateAgainstSchema(body, schema, opts)).toEqual(expected);
  });

  it("treats keys Object.prototype has (constructor, __proto__) as undeclared fields", () => {
    const schema = requestSchema("create_or_update_profile");
    const body = JSON.parse(
      '{"data":{"type":"profile","attributes":{"email":"a@b.co","constructor":1,"__proto__":{}}}}',
    ) as unknown;
    expect(validateAgainstSchema(body, schema, opts)).toEqual([
      {
        pointer: "/data/attributes/constructor",
        detail: "'constructor' is not a valid field for the resource 'profile'.",
      },
      {
        pointer: "/data/attributes/__proto__",
        detail: "'__proto__' is not a valid field for the resource 'profile'.",
      },
    ]);
  });

  it("compiles every request schema the stand-in serves (every $ref resolves)", () => {
    for (const op of STAND_IN_OPERATIONS) {
      const schema = contract.operation(op).requestSchema;
      if (schema) expect(() => validateAgainstSchema({}, schema, opts)).not.toThrow();
    }
  });

  it("reports an unresolvable $ref, and compiles again once it resolves", () => {
    const defined: Record<string, JsonSchema> = {};
    const resolveRef = (ref: string) => {
      const schema = defined[ref];
      if (!schema) throw new Error(`Unresolvable $ref ${ref}`);
      return schema;
    };
    const schema: JsonSchema = {
      type: "object",
      properties: { a: { $ref: "#/A" }, self: { $ref: "#/Root" } },
    };
    expect(() => validateAgainstSchema({ a: 1 }, schema, { resolveRef })).toThrow(
      "Unresolvable $ref #/A",
    );
    defined["#/A"] = { type: "string" };
    defined["#/Root"] = schema;
    expect(validateAgainstSchema({ a: "x", self: { a: 1 } }, schema, { resolveRef })).toEqual([
      { pointer: "/self/a", detail: "Expected string, got number." },
    ]);
  });
});
