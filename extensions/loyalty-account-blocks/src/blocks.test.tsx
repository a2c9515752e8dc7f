import { renderToString } from "preact-render-to-string";
import { beforeEach, describe, expect, it } from "vitest";
import { useFakeShopify, visibleText } from "../../../storefront/account/fake-shopify";
import type { AccountAnswer } from "../../../storefront/account/types";
import en from "../locales/en.default.json";
import fr from "../locales/fr.json";
import { OrderStatusView } from "./OrderStatusBlock";
import { ProfileView } from "./ProfileBlock";

const text = visibleText;

const ANSWER: AccountAnswer = {
  member: {
    pointsBalance: 1250,
    availablePoints: 1250,
    pendingPoints: 0,
    tier: { name: "Silver" },
    next: { name: "Gold", unit: "money", remaining: 38000, percent: 62 },
    referral: null,
    birthday: null,
    codes: [],
  },
  program: { currency: "USD" },
  rewards: [],
  history: [],
};

describe("profile block", () => {
  beforeEach(() => useFakeShopify(en));

  it("shows points, tier, money to the next tier and the way to the Rewards page", () => {
    const html = renderToString(<ProfileView answer={ANSWER} failed={false} />);
    expect(text(html)).toBe("1250 points Tier: Silver $380.00 more to reach Gold View rewards");
    expect(html).toContain('<s-progress value="62" max="100">');
    expect(html).toContain('href="extension:loyalty-account-page/"');
  });

  it("says so when the points cannot be loaded, and waits quietly while loading", () => {
    expect(text(renderToString(<ProfileView answer={null} failed={true} />))).toBe(en.unavailable);
    expect(renderToString(<ProfileView answer={null} failed={false} />)).toBe(
      "<s-skeleton-paragraph></s-skeleton-paragraph>",
    );
  });

  it("speaks French in a French account, one point singular", () => {
    useFakeShopify(fr, "fr");
    const one = { ...ANSWER, member: { ...ANSWER.member!, pointsBalance: 1, next: null } };
    expect(text(renderToString(<ProfileView answer={one} failed={false} />))).toBe(
      "1 point Niveau : Silver Voir les récompenses",
    );
  });
});

describe("order status block", () => {
  beforeEach(() => useFakeShopify(en));

  it("says what the order earned and from when it can be spent", () => {
    const held = { state: "earned", points: 40, heldUntil: "2026-12-21" } as const;
    expect(text(renderToString(<OrderStatusView answer={held} />))).toBe(
      "You earned 40 points with this order. They can be spent from 2026-12-21.",
    );
    const ready = { state: "earned", points: 1, heldUntil: null } as const;
    expect(text(renderToString(<OrderStatusView answer={ready} />))).toBe(
      "You earned 1 point with this order. They are ready to spend.",
    );
  });

  it("invites a guest to create an account, and shows nothing to a non-member", () => {
    const guest = { state: "guest", program: { currency: "USD" } } as const;
    expect(text(renderToString(<OrderStatusView answer={guest} />))).toBe(en.guest);
    expect(renderToString(<OrderStatusView answer={{ state: "not_member" }} />)).toBe("");
  });
});
