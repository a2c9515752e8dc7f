import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { ChecklistItem } from "~/domain/onboarding/checklist";
import { t, type MessageKey } from "~/lib/i18n";

/** The first-run checklist: what is done, what is next and where to do it; dismissible. */
export function OnboardingChecklist({ items, busy }: { items: ChecklistItem[]; busy: boolean }) {
  const done = items.filter((item) => item.done).length;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("onboarding.heading")}
          </Text>
          <Form method="post">
            <input type="hidden" name="intent" value="dismiss-onboarding" />
            <Button submit variant="plain" loading={busy}>
              {t("onboarding.dismiss")}
            </Button>
          </Form>
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("onboarding.progress", { done, total: items.length })}
        </Text>
        <ProgressBar
          progress={Math.round((done / items.length) * 100)}
          size="small"
          tone="success"
          ariaLabelledBy="onboarding-progress"
        />
        <span id="onboarding-progress" hidden>
          {t("onboarding.progress", { done, total: items.length })}
        </span>
        <ul
          style={{ listStyle: "none", margin: 0, padding: 0 }}
          aria-label={t("onboarding.heading")}
        >
          {items.map((item) => (
            <li key={item.key} style={{ padding: "8px 0", borderTop: "1px solid #ebebeb" }}>
              <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
                <BlockStack gap="050">
                  {/* align="start" explicitly: Polaris passes alignment down as an inherited CSS
                      variable, so without it the badge takes the outer row's space-between. */}
                  <InlineStack gap="200" blockAlign="center" align="start">
                    <Text as="h3" variant="headingSm">
                      {t(`onboarding.${item.key}.title` as MessageKey)}
                    </Text>
                    {item.done ? (
                      <Badge tone="success">{t("onboarding.done")}</Badge>
                    ) : item.known ? (
                      <Badge tone="attention">{t("onboarding.todo")}</Badge>
                    ) : (
                      <Badge>{t("onboarding.unknown")}</Badge>
                    )}
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    {t(`onboarding.${item.key}.body` as MessageKey)}
                  </Text>
                </BlockStack>
                <Button
                  url={item.url}
                  target={item.external ? "_top" : undefined}
                  variant={item.done ? "tertiary" : "secondary"}
                  accessibilityLabel={t(`onboarding.${item.key}.action` as MessageKey)}
                >
                  {t(`onboarding.${item.key}.action` as MessageKey)}
                </Button>
              </InlineStack>
            </li>
          ))}
        </ul>
      </BlockStack>
    </Card>
  );
}
