import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { translate } from "~/lib/i18n";
import { campaignFormInput, CampaignFormSchema, MAX_CAMPAIGN_POINTS, type CampaignFields } from ".";

const EVERYONE = {
  tierIds: [],
  minPoints: "",
  maxPoints: "",
  joinedOnOrAfter: "",
  joinedOnOrBefore: "",
};

function form(overrides: Partial<CampaignFields>) {
  const fields: CampaignFields = {
    name: "Spring",
    requestKey: "form-key-1",
    gives: "points",
    rewardHandle: "",
    points: "500",
    segment: EVERYONE,
    ...overrides,
  };
  return CampaignFormSchema.safeParse(campaignFormInput(fields));
}

const pointsError = (overrides: Partial<CampaignFields>) =>
  form(overrides).error?.issues.find((issue) => issue.path.join(".") === "points")?.message;

describe("campaign form", () => {
  it("gives points: a whole number from 1 to the bound, and nothing else", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: MAX_CAMPAIGN_POINTS + 10 }), (points) => {
        const parsed = form({ points: String(points) });
        expect(parsed.success).toBe(points >= 1 && points <= MAX_CAMPAIGN_POINTS);
        if (parsed.success) expect(parsed.data).toMatchObject({ gives: "points", points });
      }),
    );
    for (const text of ["", " ", "1.5", "ten", "1e3", "0", "-5", "1000001"]) {
      expect(pointsError({ points: text })).toBe("campaigns.error.points");
    }
  });

  it("the points message names the bound the schema applies", () => {
    const bound = MAX_CAMPAIGN_POINTS.toLocaleString("en-US");
    expect(translate("en", "campaigns.error.points")).toContain(bound);
    expect(translate("fr", "campaigns.error.points")).toContain(bound.replace(/,/g, " "));
  });

  it("gives a reward: its handle counts, the points field does not", () => {
    const parsed = form({ gives: "reward", rewardHandle: " five-off ", points: "ten" });
    expect(parsed.data).toMatchObject({ gives: "reward", rewardHandle: "five-off" });
    expect(form({ gives: "reward", rewardHandle: "" }).error?.issues[0]?.path).toEqual([
      "rewardHandle",
    ]);
  });

  it("a form without `gives` (a page from before points) is a reward campaign; another value is refused", () => {
    expect(form({ gives: "", rewardHandle: "five-off" }).data).toMatchObject({ gives: "reward" });
    expect(form({ gives: "cash" }).error?.issues).toMatchObject([
      { path: ["gives"], message: "campaigns.error.gives" },
    ]);
  });
});
