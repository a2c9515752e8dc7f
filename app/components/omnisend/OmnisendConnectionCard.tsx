import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { t, type MessageKey } from "~/lib/i18n";
import { SecretKeyForm } from "../SecretKeyForm";

export type OmnisendConnectionSummary = {
  status: string;
  statusReason: string | null;
  keyHint: string;
};

const STATUS: Record<string, { tone?: "success" | "critical"; label: MessageKey }> = {
  connected: { tone: "success", label: "omnisend.connection.status.connected" },
  disconnected: { label: "omnisend.connection.status.disconnected" },
  revoked: { tone: "critical", label: "omnisend.connection.status.revoked" },
};

/** Which key the shop is connected with (its hint only), with Disconnect; or the key form. */
export function OmnisendConnectionCard(props: {
  connection: OmnisendConnectionSummary | null;
  busy: boolean;
}) {
  const { connection } = props;
  const status = connection ? STATUS[connection.status] : undefined;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("omnisend.connection.heading")}
          </Text>
          <Badge tone={status?.tone}>{t(status?.label ?? "omnisend.connection.status.none")}</Badge>
        </InlineStack>
        {connection ? (
          <Text as="p" tone="subdued">
            {[t("omnisend.connection.key", { hint: connection.keyHint }), connection.statusReason]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        ) : (
          <Text as="p">{t("omnisend.connect.intro")}</Text>
        )}
        {connection?.status === "connected" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="disconnect" />
            <Button submit tone="critical" loading={props.busy}>
              {t("omnisend.connection.disconnect")}
            </Button>
          </Form>
        ) : (
          <SecretKeyForm
            label={t("omnisend.connect.keyLabel")}
            helpText={t("omnisend.connect.keyHelp")}
            submit={t("omnisend.connect.submit")}
            busy={props.busy}
          />
        )}
      </BlockStack>
    </Card>
  );
}

/** How many members' properties Omnisend holds, who it cannot hold, and "Sync now". */
export function OmnisendContactsCard(props: {
  contacts: { synced: number; failed: number; unreachable: number; members: number };
  busy: boolean;
}) {
  const { contacts } = props;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("omnisend.contacts.heading")}
        </Text>
        <Text as="p">
          {t("omnisend.contacts.summary", {
            synced: Math.min(contacts.synced, contacts.members),
            members: contacts.members,
          })}
        </Text>
        {contacts.unreachable > 0 ? (
          <Text as="p" tone="subdued">
            {t("omnisend.contacts.unreachable", { count: contacts.unreachable })}
          </Text>
        ) : null}
        {contacts.failed > 0 ? (
          <Text as="p" tone="critical">
            {t("omnisend.contacts.failed", { count: contacts.failed })}
          </Text>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="sync" />
          <BlockStack gap="100">
            <InlineStack>
              <Button submit loading={props.busy}>
                {t("omnisend.contacts.sync")}
              </Button>
            </InlineStack>
            <Text as="p" tone="subdued">
              {t("omnisend.contacts.syncHelp")}
            </Text>
          </BlockStack>
        </Form>
      </BlockStack>
    </Card>
  );
}
