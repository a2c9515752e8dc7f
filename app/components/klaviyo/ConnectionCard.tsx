import { Form } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { t, type MessageKey } from "~/lib/i18n";
import { SecretKeyForm } from "../SecretKeyForm";
import { OAuthButton, type OAuthOutcome } from "./OAuthButton";

export type ConnectionSummary = {
  status: string;
  statusReason: string | null;
  authKind: string;
  credentialHint: string;
  accountId: string;
  accountName: string | null;
  propertyPrefix: string;
};

const STATUS: Record<string, { tone?: "success" | "critical"; label: MessageKey }> = {
  connected: { tone: "success", label: "klaviyo.connection.status.connected" },
  disconnected: { label: "klaviyo.connection.status.disconnected" },
  revoked: { tone: "critical", label: "klaviyo.connection.status.revoked" },
};

/** Who the shop is connected to and how, with Disconnect; or the ways to connect. */
export function ConnectionCard(props: {
  connection: ConnectionSummary | null;
  oauthAvailable: boolean;
  busy: boolean;
}) {
  const { connection } = props;
  // Kept here, not in the button: a successful OAuth connection replaces the button at once. A
  // success is shown only while connected, so a later Disconnect does not leave it behind.
  const [oauthOutcome, setOauthOutcome] = useState<OAuthOutcome | null>(null);
  const status = connection ? STATUS[connection.status] : undefined;
  const how =
    connection?.authKind === "oauth"
      ? t("klaviyo.connection.viaOAuth")
      : t("klaviyo.connection.viaKey", { hint: connection?.credentialHint ?? "" });
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("klaviyo.connection.heading")}
          </Text>
          <Badge tone={status?.tone}>{t(status?.label ?? "klaviyo.connection.status.none")}</Badge>
        </InlineStack>
        {oauthOutcome && (!oauthOutcome.ok || connection?.status === "connected") ? (
          <Banner tone={oauthOutcome.ok ? "success" : "critical"}>{oauthOutcome.message}</Banner>
        ) : null}
        {connection ? (
          <Text as="p" tone="subdued">
            {[
              connection.accountName ?? connection.accountId,
              how,
              t("klaviyo.connection.properties", { prefix: connection.propertyPrefix }),
              connection.statusReason,
            ]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        ) : null}
        {connection?.status === "connected" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="disconnect" />
            <Button submit tone="critical" loading={props.busy}>
              {t("klaviyo.connection.disconnect")}
            </Button>
          </Form>
        ) : (
          <BlockStack gap="400">
            {props.oauthAvailable ? <OAuthButton onOutcome={setOauthOutcome} /> : null}
            <SecretKeyForm
              label={t("klaviyo.connect.keyLabel")}
              helpText={t("klaviyo.connect.keyHelp")}
              submit={t("klaviyo.connect.submit")}
              busy={props.busy}
            />
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
