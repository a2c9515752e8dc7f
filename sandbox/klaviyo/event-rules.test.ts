import { describe, expect, it } from "vitest";
import { toKlaviyoTime } from "./account-state";
import { checkEventAttributes } from "./event-rules";
import { copyJson } from "./jsonapi";
import type { JsonObject } from "./model";
import { eventAttributes } from "./test-helpers";

const NOW = Date.UTC(2026, 7, 3, 12, 0, 0);

function attributesWith(properties: JsonObject): JsonObject {
  return { ...eventAttributes({ time: "2026-08-03T11:00:00Z" }), properties } as JsonObject;
}

describe("checkEventAttributes: strings over 100 KB", () => {
  it("names the first oversized string, however deep, with an escaped pointer", () => {
    const properties: JsonObject = {
      fine: "x".repeat(1000),
      "a/b": [{ ok: 1 }, { "c~d": "y".repeat(100 * 1024 + 1) }],
      later: "z".repeat(200 * 1024),
    };
    expect(checkEventAttributes(attributesWith(properties), "/data/attributes", NOW)).toEqual([
      {
        status: 400,
        code: "invalid",
        title: "Invalid input.",
        detail: "A single string cannot exceed 100KB.",
        pointer: "/data/attributes/properties/a~1b/1/c~0d",
      },
    ]);
  });

  it("counts UTF-8 bytes, not characters: 35,000 three-byte characters are too many", () => {
    const euro = "€".repeat(35_000); // 105,000 bytes in 35,000 characters
    const ascii = "e".repeat(100 * 1024); // exactly 100 KB
    expect(checkEventAttributes(attributesWith({ euro }), "/e", NOW)).toMatchObject([
      { pointer: "/e/properties/euro", detail: "A single string cannot exceed 100KB." },
    ]);
    expect(checkEventAttributes(attributesWith({ ascii }), "/e", NOW)).toEqual([]);
  });
});

describe("toKlaviyoTime", () => {
  it("formats each second, also when called again for an earlier one", () => {
    expect(toKlaviyoTime(NOW + 999)).toBe("2026-08-03T12:00:00+00:00");
    expect(toKlaviyoTime(NOW + 1000)).toBe("2026-08-03T12:00:01+00:00");
    expect(toKlaviyoTime(NOW)).toBe("2026-08-03T12:00:00+00:00");
    for (let i = 0; i < 600; i++) toKlaviyoTime(NOW + i * 1000); // past the cache's size
    expect(toKlaviyoTime(NOW + 1000)).toBe("2026-08-03T12:00:01+00:00");
    expect(toKlaviyoTime(Date.UTC(1999, 11, 31, 23, 59, 59, 999))).toBe(
      "1999-12-31T23:59:59+00:00",
    );
    expect(() => toKlaviyoTime(Number.NaN)).toThrow(RangeError);
  });
});

describe("copyJson", () => {
  it("copies deeply, keeping __proto__ an own key", () => {
    const original = JSON.parse('{"a":[1,{"b":"c"}],"n":null,"__proto__":{"x":1}}') as JsonObject;
    const copy = copyJson(original);
    expect(copy).toEqual(original);
    expect(Object.keys(copy)).toEqual(["a", "n", "__proto__"]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    ((original.a as JsonObject[])[1] as JsonObject).b = "changed";
    expect(((copy.a as JsonObject[])[1] as JsonObject).b).toBe("c");
  });
});
