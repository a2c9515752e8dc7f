// The POS home tile (pos.home.tile.render): the cart customer's points and tier at a glance;
// tapping it opens the loyalty modal. Disabled while the cart has no customer.
import "@shopify/ui-extensions/preact";
import type { Api as TargetApi } from "@shopify/ui-extensions/pos.home.tile.render";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { callApp } from "../../../storefront/account/api";
import type { AccountAnswer } from "../../../storefront/account/types";
import { posTokens } from "./tokens";

// POS declares an empty global `shopify`; this module's is its target's API.
declare const shopify: TargetApi;

export default async () => {
  render(<Tile />, document.body);
};

function Tile() {
  const [customerId, setCustomerId] = useState(shopify.cart.current.value.customer?.id ?? null);
  const [answer, setAnswer] = useState<AccountAnswer | null>(null);
  useEffect(
    () => shopify.cart.current.subscribe((cart) => setCustomerId(cart.customer?.id ?? null)),
    [],
  );
  useEffect(() => {
    setAnswer(null);
    if (customerId === null) return;
    callApp<AccountAnswer>(posTokens(shopify.session), `/pos/customer?customer=${customerId}`)
      .then(setAnswer)
      .catch(() => setAnswer(null));
  }, [customerId]);
  return (
    <TileView
      hasCustomer={customerId !== null}
      answer={answer}
      onOpen={() => shopify.action.presentModal()}
    />
  );
}

/** The tile for the cart's customer and what the app answered; rendered alone by the tests. */
export function TileView(props: {
  hasCustomer: boolean;
  answer: AccountAnswer | null;
  onOpen: () => void;
}) {
  const t = shopify.i18n.translate;
  const member = props.answer?.member;
  const points = member ? t("summary", { count: member.pointsBalance }) : "";
  const subheading = !props.hasCustomer
    ? t("noCustomer")
    : member?.tier
      ? t("summaryTier", { points, tier: member.tier.name })
      : points;
  return (
    <s-tile
      heading={t("heading")}
      subheading={subheading}
      disabled={!props.hasCustomer}
      onClick={props.onOpen}
    />
  );
}
