import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, Checkbox, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { t } from "~/lib/i18n";
import { adminShop } from "~/lib/settings/route.server";
import { settingsUrl } from "~/lib/settings/sections";
import { commerceEventsSetting, setCommerceEvents } from "~/services/commerce/events.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId } = await adminShop(request);
  return { enabled: await commerceEventsSetting(shopId) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopId, admin } = await adminShop(request);
  const form = await request.formData();
  const { pixel } = await setCommerceEvents(shopId, form.get("enabled") === "on", admin);
  return { saved: true, pixelFailed: pixel === "failed" };
};

/** Commerce events (ADR 0071): one switch, and the plain warning about duplicated events. */
export default function CommerceSettings() {
  const { enabled } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const [checked, setChecked] = useState(enabled);
  return (
    <Page
      title={t("settings.commerce.title")}
      backAction={{ url: settingsUrl("").slice(0, -1), content: t("settings.title") }}
    >
      <TitleBar title={t("settings.commerce.title")} />
      <BlockStack gap="300">
        <Banner tone="warning">{t("settings.commerce.duplicateWarning")}</Banner>
        {result?.saved ? <Banner tone="success">{t("settings.commerce.saved")}</Banner> : null}
        {result?.pixelFailed ? (
          <Banner tone="critical">{t("settings.commerce.pixelFailed")}</Banner>
        ) : null}
        <Card>
          <Form method="post">
            <BlockStack gap="300">
              <Text as="p">{t("settings.commerce.description")}</Text>
              <Checkbox
                label={t("settings.commerce.enabled")}
                helpText={t("settings.commerce.enabledHelp")}
                checked={checked}
                onChange={setChecked}
              />
              {checked ? <input type="hidden" name="enabled" value="on" /> : null}
              <Button submit variant="primary" loading={saving}>
                {t("settings.commerce.save")}
              </Button>
            </BlockStack>
          </Form>
        </Card>
      </BlockStack>
    </Page>
  );
}
