// The POS loyalty modal (pos.home.modal.render): redeem a reward for the cart's customer and
// apply its code to the cart, or add or take points with a required reason. Each tap carries its
// own request id, so a resent request changes nothing twice.
import "@shopify/ui-extensions/preact";
import type { Api as TargetApi } from "@shopify/ui-extensions/pos.home.modal.render";
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { callApp, newRequestId } from "../../../storefront/account/api";
import type { AccountAnswer, AccountReward } from "../../../storefront/account/types";
import { posTokens } from "./tokens";

// POS declares an empty global `shopify`; this module's is its target's API.
declare const shopify: TargetApi;

export default async () => {
  render(<Modal />, document.body);
};

function Modal() {
  const t = shopify.i18n.translate;
  const customerId = shopify.cart.current.value.customer?.id ?? null;
  const tokens = useMemo(() => posTokens(shopify.session), []);
  const [answer, setAnswer] = useState<AccountAnswer | null>(null);
  const [failed, setFailed] = useState(false);
  const load = () => {
    if (customerId === null) return;
    callApp<AccountAnswer>(tokens, `/pos/customer?customer=${customerId}`)
      .then(setAnswer)
      .catch(() => setFailed(true));
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps -- loads again only for another customer
  useEffect(load, [customerId]);

  const run = async (work: () => Promise<string>) => {
    try {
      shopify.toast.show(await work());
      load();
    } catch (error) {
      shopify.toast.show(t("failed", { message: (error as Error).message }));
    }
  };
  const redeem = (reward: AccountReward) =>
    run(async () => {
      const issued = await callApp<{ code: string | null }>(tokens, "/pos/redeem", {
        customer: String(customerId),
        reward: reward.handle,
        request_id: newRequestId(),
      });
      if (!issued.code) return t("adjusted");
      try {
        await shopify.cart.addCartCodeDiscount(issued.code);
        return t("applied", { code: issued.code });
      } catch {
        return t("notApplied", { code: issued.code });
      }
    });
  const adjust = (points: number, note: string) =>
    run(async () => {
      await callApp(tokens, "/pos/adjust", {
        customer: String(customerId),
        points,
        note,
        request_id: newRequestId(),
      });
      return t("adjusted");
    });

  return (
    <ModalView
      hasCustomer={customerId !== null}
      answer={answer}
      failed={failed}
      onRedeem={(reward) => void redeem(reward)}
      onAdjust={(points, note) => void adjust(points, note)}
    />
  );
}

/** The modal for what the app answered; rendered alone by the tests. */
export function ModalView(props: {
  hasCustomer: boolean;
  answer: AccountAnswer | null;
  failed: boolean;
  onRedeem: (reward: AccountReward) => void;
  onAdjust: (points: number, note: string) => void;
}) {
  const t = shopify.i18n.translate;
  const [confirming, setConfirming] = useState<string | null>(null);
  const [points, setPoints] = useState("");
  const [note, setNote] = useState("");
  const member = props.answer?.member;
  if (!props.hasCustomer) {
    return (
      <s-page heading={t("heading")}>
        <s-banner tone="warning" heading={t("noCustomer")} />
      </s-page>
    );
  }
  if (props.failed) {
    return (
      <s-page heading={t("heading")}>
        <s-banner tone="critical" heading={t("unavailable")} />
      </s-page>
    );
  }
  if (!member) {
    return (
      <s-page heading={t("heading")}>
        <s-spinner />
      </s-page>
    );
  }
  const amount = Number(points);
  const canAdjust = Number.isInteger(amount) && amount !== 0 && note.trim().length >= 3;
  return (
    <s-page
      heading={t("heading")}
      subheading={
        member.tier
          ? t("summaryTier", {
              points: t("summary", { count: member.pointsBalance }),
              tier: member.tier.name,
            })
          : t("summary", { count: member.pointsBalance })
      }
    >
      <s-section heading={t("rewardsHeading")}>
        <s-stack direction="block" gap="base">
          {props.answer!.rewards.length === 0 && <s-text>{t("noRewards")}</s-text>}
          {props.answer!.rewards.map((reward) => (
            <s-stack key={reward.handle} direction="inline" gap="base">
              <s-text>
                {reward.name} · {t("cost", { points: reward.pointsCost ?? 0 })}
              </s-text>
              {!reward.available ? (
                <s-text tone="neutral">{t("whyNot")}</s-text>
              ) : confirming === reward.handle ? (
                <s-button
                  variant="primary"
                  onClick={() => {
                    setConfirming(null);
                    props.onRedeem(reward);
                  }}
                >
                  {t("confirm", { points: reward.pointsCost ?? 0 })}
                </s-button>
              ) : (
                <s-button onClick={() => setConfirming(reward.handle)}>{t("redeem")}</s-button>
              )}
            </s-stack>
          ))}
        </s-stack>
      </s-section>
      <s-section heading={t("adjustHeading")}>
        <s-stack direction="block" gap="base">
          <s-number-field
            label={t("pointsLabel")}
            value={points}
            onInput={(event) => setPoints(event.currentTarget.value ?? "")}
          />
          <s-text-field
            label={t("noteLabel")}
            value={note}
            maxLength={300}
            required
            onInput={(event) => setNote(event.currentTarget.value ?? "")}
          />
          <s-button
            disabled={!canAdjust}
            onClick={() => {
              props.onAdjust(amount, note.trim());
              setPoints("");
              setNote("");
            }}
          >
            {t("adjust")}
          </s-button>
        </s-stack>
      </s-section>
    </s-page>
  );
}
