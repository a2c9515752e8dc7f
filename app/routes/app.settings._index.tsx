import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { t } from "~/lib/i18n";
import { SETTINGS_SECTIONS, settingsUrl } from "~/lib/settings/sections";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

/** Every settings page, from SETTINGS_SECTIONS. */
export default function Settings() {
  return (
    <Page title={t("settings.title")} backAction={{ url: "/app", content: t("settings.home") }}>
      <TitleBar title={t("settings.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {SETTINGS_SECTIONS.map((section) => (
              <Card key={section.path}>
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    <Link to={settingsUrl(section.path)}>{t(section.title)}</Link>
                  </Text>
                  <Text as="p" tone="subdued">
                    {t(section.description)}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
