// The customer account Rewards page (customer-account.page.render): everything the storefront
// widget offers a signed-in shopper, where Shopify's new customer accounts show it.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { AccountApiError, callApp } from "../../../storefront/account/api";
import { majorUnits } from "../../../storefront/account/money";
import type { AccountAnswer } from "../../../storefront/account/types";
import { CodesSection, HistorySection, ReferralSection } from "./sections";
import { BirthdaySection } from "./BirthdaySection";
import { RewardsSection } from "./RewardsSection";

export default async () => {
  render(<RewardsPage />, document.body);
};

function RewardsPage() {
  const [answer, setAnswer] = useState<AccountAnswer | null>(null);
  const [failed, setFailed] = useState(false);
  const load = () =>
    callApp<AccountAnswer>(shopify.sessionToken, "/customer-account/member")
      .then((next) => {
        setAnswer(next);
        setFailed(false);
      })
      .catch((error: unknown) => {
        if (!(error instanceof AccountApiError)) console.error(error);
        setFailed(true);
      });
  useEffect(() => {
    void load();
  }, []);

  return <RewardsPageView answer={answer} failed={failed} onRedeemed={load} />;
}

/** The page for what the app answered (null while loading); rendered alone by the tests. */
export function RewardsPageView(props: {
  answer: AccountAnswer | null;
  failed: boolean;
  onRedeemed: () => void;
}) {
  const t = shopify.i18n.translate;
  const { answer, failed } = props;
  if (failed) {
    return (
      <s-page heading={t("title")}>
        <s-banner tone="critical">{t("unavailable")}</s-banner>
      </s-page>
    );
  }
  if (!answer?.member) {
    return (
      <s-page heading={t("title")}>
        <s-spinner accessibilityLabel={t("loading")} />
      </s-page>
    );
  }
  const { member } = answer;
  return (
    <s-page heading={t("title")}>
      <s-stack direction="block" gap="base">
        <s-section>
          <s-stack direction="block" gap="small-200">
            <s-heading>{t("balance", { count: member.pointsBalance })}</s-heading>
            {member.pendingPoints > 0 && (
              <s-text color="subdued">{t("held", { count: member.pendingPoints })}</s-text>
            )}
            {member.tier && <s-text>{t("tier", { tier: member.tier.name })}</s-text>}
            {member.next && (
              <s-stack direction="block" gap="small-300">
                <s-progress value={member.next.percent} max={100} />
                <s-text color="subdued">
                  {t("next", {
                    tier: member.next.name,
                    remaining:
                      member.next.unit === "money"
                        ? shopify.i18n.formatCurrency(
                            majorUnits(member.next.remaining, answer.program.currency),
                            {
                              currency: answer.program.currency,
                            },
                          )
                        : t("cost", { points: member.next.remaining }),
                  })}
                </s-text>
              </s-stack>
            )}
          </s-stack>
        </s-section>
        <RewardsSection rewards={answer.rewards} onRedeemed={props.onRedeemed} />
        <CodesSection codes={member.codes} />
        {member.referral && <ReferralSection url={member.referral.url} />}
        <BirthdaySection birthday={member.birthday} onSaved={props.onRedeemed} />
        <HistorySection history={answer.history} />
      </s-stack>
    </s-page>
  );
}
