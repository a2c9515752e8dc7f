import { renderToString } from "preact-render-to-string";
import { beforeEach, describe, expect, it } from "vitest";
import { useFakeShopify, visibleText } from "../../../storefront/account/fake-shopify";
import type { AccountAnswer } from "../../../storefront/account/types";
import en from "../locales/en.default.json";
import fr from "../locales/fr.json";
import { ModalView } from "./Modal";
import { TileView } from "./Tile";

const text = visibleText;
const noop = () => {};

const ANSWER: AccountAnswer = {
  member: {
    pointsBalance: 800,
    availablePoints: 800,
    pendingPoints: 0,
    tier: { name: "Gold" },
    next: null,
    referral: null,
    birthday: null,
    codes: [],
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
      handle: "big",
      name: "$50 off",
      pointsCost: 5000,
      valueFormatted: "$50.00 off",
      available: false,
      why: "more_points",
      short: 4200,
    },
  ],
  history: [],
};

describe("POS tile", () => {
  beforeEach(() => useFakeShopify(en));

  it("shows the cart customer's points and tier, and is disabled without a customer", () => {
    const tile = renderToString(<TileView hasCustomer answer={ANSWER} onOpen={noop} />);
    expect(tile).toContain('heading="Loyalty"');
    expect(tile).toContain('subheading="800 points · Gold"');
    expect(tile).not.toContain("disabled");
    const empty = renderToString(<TileView hasCustomer={false} answer={null} onOpen={noop} />);
    expect(empty).toContain('subheading="Add a customer to the cart"');
    expect(empty).toContain("disabled");
  });
});

describe("POS modal", () => {
  beforeEach(() => useFakeShopify(en));

  it("offers the rewards the customer can afford and a points adjustment that needs a reason", () => {
    const html = renderToString(
      <ModalView hasCustomer answer={ANSWER} failed={false} onRedeem={noop} onAdjust={noop} />,
    );
    const page = text(html);
    expect(page).toContain("$5 off · 500 points Redeem");
    expect(page).toContain("$50 off · 5000 points Not enough points or not for this customer");
    expect(html).toContain('subheading="800 points · Gold"');
    expect(html).toContain('label="Reason (required)"');
    // Nothing typed yet: saving is not possible.
    expect(html).toMatch(/<s-button disabled[^>]*>Save<\/s-button>/);
  });

  it("asks for a customer first, says when loyalty cannot be loaded, speaks French", () => {
    const none = renderToString(
      <ModalView
        hasCustomer={false}
        answer={null}
        failed={false}
        onRedeem={noop}
        onAdjust={noop}
      />,
    );
    expect(none).toContain('heading="Add a customer to the cart"');
    const failed = renderToString(
      <ModalView hasCustomer answer={null} failed onRedeem={noop} onAdjust={noop} />,
    );
    expect(failed).toContain(`heading="${en.unavailable}"`);
    useFakeShopify(fr, "fr");
    const french = renderToString(
      <ModalView hasCustomer answer={ANSWER} failed={false} onRedeem={noop} onAdjust={noop} />,
    );
    expect(french).toContain('heading="Échanger une récompense"');
    expect(text(french)).toContain("$5 off · 500 points Échanger");
  });
});
