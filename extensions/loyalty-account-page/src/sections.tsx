// The Rewards page's read-only sections: the codes the customer owns, their referral link and
// their points history.
import type { HistoryEntry, OwnedCode } from "../../../storefront/account/types";

export function CodesSection(props: { codes: OwnedCode[] }) {
  const t = shopify.i18n.translate;
  return (
    <s-section heading={t("codesHeading")}>
      <s-stack direction="block" gap="base">
        {props.codes.length === 0 && <s-text color="subdued">{t("noCodes")}</s-text>}
        {props.codes.map((code) => (
          <s-stack key={code.code} direction="block" gap="small-300">
            <s-stack direction="inline" gap="small-200" alignItems="center">
              <s-text type="strong">{code.name}</s-text>
              <s-badge tone={code.status === "ready" ? "auto" : "neutral"}>
                {t(`status.${code.status}`)}
              </s-badge>
            </s-stack>
            <s-text>{code.code}</s-text>
            {code.status === "ready" && code.expiresAt && (
              <s-text color="subdued">
                {t("expires", { date: shopify.i18n.formatDate(new Date(code.expiresAt)) })}
              </s-text>
            )}
            {code.instructions && <s-text color="subdued">{code.instructions}</s-text>}
          </s-stack>
        ))}
      </s-stack>
    </s-section>
  );
}

export function ReferralSection(props: { url: string }) {
  const t = shopify.i18n.translate;
  return (
    <s-section heading={t("referralHeading")}>
      <s-stack direction="block" gap="small-200">
        <s-text>{t("referralText")}</s-text>
        <s-text type="strong">{props.url}</s-text>
      </s-stack>
    </s-section>
  );
}

export function HistorySection(props: { history: HistoryEntry[] }) {
  const t = shopify.i18n.translate;
  const label = (entry: HistoryEntry) => {
    const key = `source.${entry.source}`;
    const text = t(key, { order: entry.orderName ?? "" });
    return text === key ? t("source.other") : text;
  };
  return (
    <s-section heading={t("historyHeading")}>
      <s-stack direction="block" gap="small-200">
        {props.history.length === 0 && <s-text color="subdued">{t("noHistory")}</s-text>}
        {props.history.map((entry) => (
          <s-stack key={entry.at + entry.source} direction="inline" justifyContent="space-between">
            <s-text>
              {shopify.i18n.formatDate(new Date(entry.at))} · {label(entry)}
            </s-text>
            <s-text type="strong">
              {entry.points > 0 ? "+" : ""}
              {shopify.i18n.formatNumber(entry.points)}
            </s-text>
          </s-stack>
        ))}
      </s-stack>
    </s-section>
  );
}
