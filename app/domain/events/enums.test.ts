import { describe, expect, it } from "vitest";
import { catalogEnums, unproducedValues } from "./enums";

describe("catalog enums", () => {
  it("finds every enum of the payloads, through nullable and default", () => {
    const keys = catalogEnums().map((e) => `${e.type}.${e.key}`);
    expect(keys).toContain("points.added.source");
    expect(keys).toContain("tier.updated.reason");
    expect(keys).toContain("reward.expired.reward_type");
    expect(keys).toContain("store_credit.debited.source");
  });

  it("names each value no event produced; a shared enum counts once for all its events", () => {
    const enums = [
      { type: "a.one", key: "kind", values: ["x", "y"] },
      { type: "a.two", key: "kind", values: ["x", "y"] },
      { type: "b.one", key: "source", values: ["p", "q"] },
    ];
    const produced = new Set(["a.two|kind|y", "a.one|kind|x", "b.one|source|p"]);
    expect(unproducedValues(enums, produced)).toEqual(["b.one source = q"]);
    expect(unproducedValues(enums, new Set())).toEqual([
      "a.one/a.two kind = x",
      "a.one/a.two kind = y",
      "b.one source = p",
      "b.one source = q",
    ]);
  });
});
