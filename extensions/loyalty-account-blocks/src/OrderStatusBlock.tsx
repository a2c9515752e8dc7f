// The order status page block (customer-account.order-status.block.render): what this order
// earned and when those points become spendable; a guest is invited to create an account.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { callApp } from "../../../storefront/account/api";
import type { OrderPointsAnswer } from "../../../storefront/account/types";

export default async () => {
  render(<OrderStatusBlock />, document.body);
};

function OrderStatusBlock() {
  const orderId = shopify.order.value?.id;
  const [answer, setAnswer] = useState<OrderPointsAnswer | null>(null);
  useEffect(() => {
    if (!orderId) return;
    const query = new URLSearchParams({ order: orderId });
    callApp<OrderPointsAnswer>(shopify.sessionToken, `/customer-account/order-points?${query}`)
      .then(setAnswer)
      // A block about points never gets in the way of the order itself: nothing shown.
      .catch(() => setAnswer(null));
  }, [orderId]);

  return <OrderStatusView answer={answer} />;
}

/** The block for what the app answered (null: nothing to show); rendered alone by the tests. */
export function OrderStatusView({ answer }: { answer: OrderPointsAnswer | null }) {
  const t = shopify.i18n.translate;
  if (!answer || answer.state === "not_member") return null;
  if (answer.state === "guest") {
    return <s-banner heading={t("heading")}>{t("guest")}</s-banner>;
  }
  if (answer.state === "none") {
    return <s-text color="subdued">{t("pendingOrder")}</s-text>;
  }
  return (
    <s-banner heading={t("heading")} tone="success">
      <s-stack direction="block" gap="small-300">
        <s-text>{t("earned", { count: answer.points })}</s-text>
        <s-text color="subdued">
          {answer.heldUntil
            ? t("heldUntil", { date: shopify.i18n.formatDate(new Date(answer.heldUntil)) })
            : t("spendable")}
        </s-text>
      </s-stack>
    </s-banner>
  );
}
