import { describe, expect, it } from "vitest";
import { FLOW_ACTIONS } from "./catalog";

describe("Flow action customer_id", () => {
  it.each(FLOW_ACTIONS.map((a) => [a.handle, a] as const))(
    "%s accepts a 64-bit id and refuses anything larger (found by fuzzing: a 500)",
    (_handle, action) => {
      const parse = (customer_id: unknown) =>
        action.properties.safeParse({
          customer_id,
          points: 5,
          tier: "Gold",
          month: 2,
          day: 3,
          reward: "x",
        });
      const largest = parse("9223372036854775807");
      expect(
        largest.success || !largest.error.issues.some((i) => i.path[0] === "customer_id"),
      ).toBe(true);
      for (const bad of [
        "9223372036854775808",
        "9999999999999999999999999999999999999999",
        "0",
        -1,
      ]) {
        const result = parse(bad);
        expect(result.success).toBe(false);
        expect(result.error?.issues.some((i) => i.path[0] === "customer_id")).toBe(true);
      }
    },
  );
});
