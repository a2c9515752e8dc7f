import { describe, expect, it } from "vitest";
import { onboardingChecklist, themeEmbedDeepLink } from "./checklist";

const links = { shopDomain: "demo.myshopify.com", apiKey: "key-123" };
const fresh = {
  programSaved: false,
  tierCount: 0,
  enabledRewards: 0,
  themeEmbedEnabled: null,
  klaviyoConnected: false,
  flowViewed: false,
  historyImported: false,
};

describe("onboarding checklist", () => {
  it("opens the theme editor on App embeds with the loyalty embed selected", () => {
    expect(themeEmbedDeepLink("demo.myshopify.com", "key-123")).toBe(
      "https://demo.myshopify.com/admin/themes/current/editor?context=apps&activateAppId=key-123/loyalty-embed",
    );
  });

  it("marks nothing done for a new shop, and the theme embed as unknown", () => {
    const items = onboardingChecklist(fresh, links);
    expect(items.map((i) => i.key)).toEqual([
      "program",
      "tiers",
      "history",
      "rewards",
      "theme",
      "klaviyo",
      "flow",
    ]);
    expect(items.every((i) => !i.done)).toBe(true);
    expect(items.find((i) => i.key === "theme")).toMatchObject({ known: false, external: true });
  });

  it("marks each item done from its own fact", () => {
    const items = onboardingChecklist(
      {
        programSaved: true,
        tierCount: 2,
        enabledRewards: 1,
        themeEmbedEnabled: true,
        klaviyoConnected: true,
        flowViewed: true,
        historyImported: true,
      },
      links,
    );
    expect(items.every((i) => i.done && i.known)).toBe(true);
    expect(onboardingChecklist({ ...fresh, tierCount: 1 }, links).filter((i) => i.done)).toEqual([
      expect.objectContaining({ key: "tiers" }),
    ]);
    expect(
      onboardingChecklist({ ...fresh, historyImported: true }, links).filter((i) => i.done),
    ).toEqual([expect.objectContaining({ key: "history", url: "/app/import-export#history" })]);
  });
});
