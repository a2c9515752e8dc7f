import { renderToString } from "preact-render-to-string";
import { beforeEach, describe, expect, it } from "vitest";
import { useFakeShopify, visibleText } from "../../../storefront/account/fake-shopify";
import type { AccountAnswer } from "../../../storefront/account/types";
import en from "../locales/en.default.json";
import fr from "../locales/fr.json";
import { RewardsPageView } from "./RewardsPage";

const text = visibleText;
const noop = () => {};

const ANSWER: AccountAnswer = {
  member: {
    pointsBalance: 700,
    availablePoints: 600,
    pendingPoints: 100,
    tier: null,
    next: { name: "Silver", unit: "points", remaining: 300, percent: 70 },
    referral: { code: "REF-ABCD2345", url: "https://shop.example/?ref=REF-ABCD2345" },
    birthday: null,
    codes: [
      {
        code: "LOYAL-5OFF",
        name: "$5 off",
        status: "ready",
        expiresAt: "2027-01-31T00:00:00.000Z",
      },
      { code: "LOYAL-OLD", name: "$5 off", status: "used", expiresAt: null },
    ],
  },
  program: { currency: "USD" },
  rewards: [
    {
      handle: "five-off",
      name: "$5 off",
      pointsCost: 500,
      valueFormatted: "$5.00 off",
      available: true,
      why: null,
      short: null,
    },
    {
      handle: "fifty-off",
      name: "$50 off",
      pointsCost: 5000,
      valueFormatted: "$50.00 off",
      available: false,
      why: "more_points",
      short: 4400,
    },
  ],
  history: [
    { at: "2026-12-01T10:00:00.000Z", points: 200, source: "purchase", orderName: "#1001" },
    { at: "2026-11-20T10:00:00.000Z", points: -500, source: "reward_redemption", orderName: null },
    { at: "2026-11-01T10:00:00.000Z", points: 5, source: "something_new", orderName: null },
  ],
};

describe("customer account Rewards page", () => {
  beforeEach(() => useFakeShopify(en));

  it("shows the balance, what is held, progress, rewards, codes, the referral link and history", () => {
    const page = text(
      renderToString(<RewardsPageView answer={ANSWER} failed={false} onRedeemed={noop} />),
    );
    for (const line of [
      "You have 700 points",
      "100 of them become spendable once your recent orders are final.",
      "300 points more to reach Silver",
      "$5 off 500 points Redeem",
      "$50 off 5000 points 4400 more points needed Redeem",
      "$5 off Ready to use LOYAL-5OFF Use by 2027-01-31",
      "$5 off Used LOYAL-OLD",
      "https://shop.example/?ref=REF-ABCD2345",
      "2026-12-01 · Order #1001 +200",
      "2026-11-20 · Reward redeemed -500",
      // A source this version does not know yet still reads as something.
      "2026-11-01 · Points adjusted +5",
    ]) {
      expect(page).toContain(line);
    }
  });

  it("redeems only what the member can afford: the other button is disabled", () => {
    const html = renderToString(
      <RewardsPageView answer={ANSWER} failed={false} onRedeemed={noop} />,
    );
    const buttons = [...html.matchAll(/<s-button([^>]*)>Redeem<\/s-button>/g)].map((m) => m[1]!);
    expect(buttons).toHaveLength(2);
    expect(buttons[0]).not.toContain("disabled");
    expect(buttons[1]).toContain("disabled");
    expect(buttons[0]).toContain('accessibilityLabel="Spend 500 points on $5 off?"');
  });

  it("says so when the rewards cannot be loaded; French in a French account", () => {
    expect(
      text(renderToString(<RewardsPageView answer={null} failed={true} onRedeemed={noop} />)),
    ).toBe(en.unavailable);
    useFakeShopify(fr, "fr");
    const page = text(
      renderToString(<RewardsPageView answer={ANSWER} failed={false} onRedeemed={noop} />),
    );
    expect(page).toContain("Vous avez 700 points");
    expect(page).toContain("Commande #1001");
  });

  it("asks for the birthday with the months in the shopper's language, then shows it", () => {
    const ask = renderToString(
      <RewardsPageView answer={ANSWER} failed={false} onRedeemed={noop} />,
    );
    expect(text(ask)).toContain("Tell us your birthday and get a treat every year.");
    expect(ask).toContain('<s-option value="2">February</s-option>');
    expect(ask).toMatch(/<s-button disabled[^>]*>Save my birthday<\/s-button>/);
    const known = {
      ...ANSWER,
      member: { ...ANSWER.member!, birthday: { month: 7, day: 14 } },
    };
    const shown = text(
      renderToString(<RewardsPageView answer={known} failed={false} onRedeemed={noop} />),
    );
    expect(shown).toContain("We'll celebrate on July 14.");
    useFakeShopify(fr, "fr");
    const french = text(
      renderToString(<RewardsPageView answer={known} failed={false} onRedeemed={noop} />),
    );
    expect(french).toContain("Nous le fêterons le 14 juillet.");
  });
});
