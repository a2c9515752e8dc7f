import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { t, type MessageKey } from "~/lib/i18n";
import { day } from "./member-cards";

export type MemberRewardView = {
  id: string;
  name: string;
  code: string | null;
  state: "issued" | "used" | "expired" | "voided";
  pointsSpent: number;
  issuedAt: string | null;
  expiresAt: string | null;
  voidable: boolean;
  /** An unused custom reward: staff give it by hand, then mark it fulfilled (used). */
  fulfillable: boolean;
};

const STATE: Record<MemberRewardView["state"], { label: MessageKey; tone?: "success" | "info" }> = {
  issued: { label: "member.rewards.state.issued", tone: "success" },
  used: { label: "member.rewards.state.used", tone: "info" },
  expired: { label: "member.rewards.state.expired" },
  voided: { label: "member.rewards.state.voided" },
};

/**
 * The member's rewards, newest first, with "Void" on an unused discount code or custom reward:
 * the code stops working and the points it cost come back (reward.expired, reason voided); and
 * "Mark fulfilled" on an unused custom reward once staff gave it (reward.used, no order).
 */
export function MemberRewardsCard(props: { rewards: MemberRewardView[]; busy: boolean }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("member.rewards.heading")}
        </Text>
        {props.rewards.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("member.rewards.empty")}
          </Text>
        ) : (
          props.rewards.map((reward) => (
            <InlineStack key={reward.id} align="space-between" blockAlign="center" gap="200">
              <BlockStack gap="050">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" fontWeight="semibold">
                    {reward.name}
                  </Text>
                  <Badge tone={STATE[reward.state].tone}>{t(STATE[reward.state].label)}</Badge>
                </InlineStack>
                <Text as="p" tone="subdued">
                  {[
                    reward.code,
                    reward.issuedAt
                      ? t("member.rewards.issued", { date: day(reward.issuedAt) })
                      : null,
                    reward.expiresAt
                      ? t("member.rewards.expires", { date: day(reward.expiresAt) })
                      : null,
                    reward.pointsSpent > 0
                      ? t("member.rewards.points", { points: reward.pointsSpent })
                      : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </Text>
              </BlockStack>
              <InlineStack gap="200">
                {reward.fulfillable ? <FulfilButton reward={reward} busy={props.busy} /> : null}
                {reward.voidable ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="void" />
                    <input type="hidden" name="redemption" value={reward.id} />
                    <Button
                      submit
                      tone="critical"
                      loading={props.busy}
                      accessibilityLabel={
                        reward.pointsSpent > 0
                          ? t("member.rewards.voidReturnLabel", {
                              name: reward.name,
                              code: reward.code ?? "",
                              points: reward.pointsSpent,
                            })
                          : t("member.rewards.voidLabel", {
                              name: reward.name,
                              code: reward.code ?? "",
                            })
                      }
                    >
                      {reward.pointsSpent > 0
                        ? t("member.rewards.voidReturn", { points: reward.pointsSpent })
                        : t("member.rewards.void")}
                    </Button>
                  </Form>
                ) : null}
              </InlineStack>
            </InlineStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}

function FulfilButton(props: { reward: MemberRewardView; busy: boolean }) {
  const { reward } = props;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="fulfil" />
      <input type="hidden" name="redemption" value={reward.id} />
      <Button
        submit
        loading={props.busy}
        accessibilityLabel={t("member.rewards.fulfilLabel", {
          name: reward.name,
          code: reward.code ?? "",
        })}
      >
        {t("member.rewards.fulfil")}
      </Button>
    </Form>
  );
}
