// Rewards to redeem, each behind a confirmation: points are spent only on a second, deliberate
// click, and one click is one redemption (its request id) even if the network resends it.
import { useState } from "preact/hooks";
import { AccountApiError, callApp, newRequestId } from "../../../storefront/account/api";
import type { AccountReward } from "../../../storefront/account/types";

type Redeemed = { code: string | null };

export function RewardsSection(props: { rewards: AccountReward[]; onRedeemed: () => void }) {
  const t = shopify.i18n.translate;
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "success" | "critical"; text: string } | null>(
    null,
  );
  const redeem = async (reward: AccountReward) => {
    setBusy(true);
    try {
      const result = await callApp<Redeemed>(shopify.sessionToken, "/customer-account/redeem", {
        reward: reward.handle,
        request_id: newRequestId(),
      });
      setMessage({ tone: "success", text: t("redeemed", { code: result.code ?? reward.name }) });
      props.onRedeemed();
    } catch (error) {
      const code = error instanceof AccountApiError ? error.code : "unavailable";
      const text =
        code === "insufficient_points"
          ? t("error.insufficient_points")
          : t("error.other", { message: (error as Error).message });
      setMessage({ tone: "critical", text });
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  };

  return (
    <s-section heading={t("rewardsHeading")}>
      <s-stack direction="block" gap="base">
        {message && <s-banner tone={message.tone}>{message.text}</s-banner>}
        {props.rewards.length === 0 && <s-text color="subdued">{t("noRewards")}</s-text>}
        {props.rewards.map((reward) => (
          <s-stack key={reward.handle} direction="inline" gap="base" justifyContent="space-between">
            <s-stack direction="block" gap="small-300">
              <s-text type="strong">{reward.name}</s-text>
              {reward.pointsCost !== null && (
                <s-text color="subdued">{t("cost", { points: reward.pointsCost })}</s-text>
              )}
              {!reward.available && <s-text color="subdued">{whyNot(reward)}</s-text>}
            </s-stack>
            {confirming === reward.handle ? (
              <s-stack direction="inline" gap="small-200">
                <s-button variant="primary" loading={busy} onClick={() => void redeem(reward)}>
                  {t("confirm")}
                </s-button>
                <s-button variant="secondary" onClick={() => setConfirming(null)}>
                  {t("cancel")}
                </s-button>
              </s-stack>
            ) : (
              <s-button
                disabled={!reward.available || busy}
                accessibilityLabel={t("confirmRedeem", {
                  points: reward.pointsCost ?? 0,
                  reward: reward.name,
                })}
                onClick={() => setConfirming(reward.handle)}
              >
                {t("redeem")}
              </s-button>
            )}
          </s-stack>
        ))}
      </s-stack>
    </s-section>
  );
}

function whyNot(reward: AccountReward): string {
  const t = shopify.i18n.translate;
  switch (reward.why) {
    case "more_points":
      return t("why.more_points", { count: reward.short ?? 0 });
    case "tier":
    case "limit":
      return t(`why.${reward.why}`);
    default:
      return t("why.other");
  }
}
