import { describe, expect, it } from "vitest";
import { historyChoicesFromForm } from "./history-import-form";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

describe("history import form", () => {
  it("reads the points window and the two boxes", () => {
    expect(historyChoicesFromForm(form({ points: "90", storeCredit: "on" }))).toEqual({
      pointsDays: 90,
      storeCredit: true,
      fireFlows: false,
    });
    expect(historyChoicesFromForm(form({ points: "none", fireFlows: "on" }))).toEqual({
      pointsDays: null,
      storeCredit: false,
      fireFlows: true,
    });
  });

  it("refuses a window that is not a whole number of days from 1 to 730", () => {
    for (const points of ["", "0", "-5", "731", "12.5", "ninety"]) {
      expect(historyChoicesFromForm(form({ points }))).toBeNull();
    }
  });
});
