import { describe, expect, it } from "vitest";
import { flowTriggers } from "../events";
import { FLOW_ACTIONS } from "../flow-actions/catalog";
import { flowCatalog } from ".";

describe("the Flow page's catalog", () => {
  it("has an example workflow for every trigger and every action", () => {
    const { triggers, actions } = flowCatalog();

    expect(triggers.map((t) => t.handle)).toEqual(flowTriggers().map((t) => t.trigger.handle));
    expect(actions.map((a) => a.handle)).toEqual(FLOW_ACTIONS.map((a) => a.handle));
    expect([...triggers, ...actions].filter((entry) => !entry.idea).map((e) => e.handle)).toEqual(
      [],
    );
  });

  it("lists the trigger fields a merchant can use, without the customer reference", () => {
    const pointsAdded = flowCatalog().triggers.find((t) => t.handle === "loyalty-points-added");

    expect(pointsAdded?.fields).toContain("Points balance");
    expect(pointsAdded?.fields).not.toContain("customer_reference");
  });
});
