// The Profile page block (customer-account.profile.block.render): points, tier and progress at a
// glance, and the way to the Rewards page (the loyalty-account-page extension).
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { callApp } from "../../../storefront/account/api";
import { majorUnits } from "../../../storefront/account/money";
import type { AccountAnswer } from "../../../storefront/account/types";

export default async () => {
  render(<ProfileBlock />, document.body);
};

function ProfileBlock() {
  const [answer, setAnswer] = useState<AccountAnswer | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    callApp<AccountAnswer>(shopify.sessionToken, "/customer-account/member")
      .then(setAnswer)
      .catch(() => setFailed(true));
  }, []);

  return <ProfileView answer={answer} failed={failed} />;
}

/** The block for what the app answered (null while loading); rendered alone by the tests. */
export function ProfileView(props: { answer: AccountAnswer | null; failed: boolean }) {
  const t = shopify.i18n.translate;
  const { answer, failed } = props;
  if (failed) return <s-banner tone="warning">{t("unavailable")}</s-banner>;
  const member = answer?.member;
  if (!answer || !member) return <s-skeleton-paragraph />;
  const next = member.next;
  return (
    <s-section heading={t("heading")}>
      <s-stack direction="block" gap="small-200">
        <s-heading>{t("balance", { count: member.pointsBalance })}</s-heading>
        {member.tier && <s-text>{t("tier", { tier: member.tier.name })}</s-text>}
        {next && (
          <s-stack direction="block" gap="small-300">
            <s-progress value={next.percent} max={100} />
            <s-text color="subdued">
              {t("next", {
                tier: next.name,
                remaining:
                  next.unit === "money"
                    ? shopify.i18n.formatCurrency(
                        majorUnits(next.remaining, answer.program.currency),
                        { currency: answer.program.currency },
                      )
                    : t("nextPoints", { count: next.remaining }),
              })}
            </s-text>
          </s-stack>
        )}
        <s-link href="extension:loyalty-account-page/">{t("viewRewards")}</s-link>
      </s-stack>
    </s-section>
  );
}
