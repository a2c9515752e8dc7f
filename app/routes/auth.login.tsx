import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useState } from "react";
import { loginToShopAdmin } from "~/integrations/shopify/login.server";
import { t } from "~/lib/i18n";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];
export const meta = () => [{ title: t("login.documentTitle") }];

// Where an app URL opened outside Shopify admin (a reload, a bookmark) lands: the merchant names
// their shop and is sent to the app inside its admin, where App Bridge authenticates them.
export const loader = async ({ request }: LoaderFunctionArgs) => loginToShopAdmin(request);
export const action = async ({ request }: ActionFunctionArgs) => loginToShopAdmin(request);

export default function Login() {
  const loaded = useLoaderData<typeof loader>();
  const submitted = useActionData<typeof action>();
  const error = (submitted ?? loaded).shop;
  const [shop, setShop] = useState("");
  return (
    <AppProvider i18n={polarisTranslations}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h1">
                {t("login.heading")}
              </Text>
              <Text as="p" tone="subdued">
                {t("login.body")}
              </Text>
              <TextField
                type="text"
                name="shop"
                label={t("login.shop")}
                helpText={t("login.shopHelp")}
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error ? t(error) : undefined}
              />
              <Button submit variant="primary">
                {t("login.submit")}
              </Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
