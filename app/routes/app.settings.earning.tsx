import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, FormLayout } from "@shopify/polaris";
import { CollectionsField } from "~/components/settings/CollectionsField";
import { CheckboxField, NumberField, SelectField } from "~/components/settings/fields";
import { ProductsField } from "~/components/settings/ProductsField";
import { ProgramSectionPage } from "~/components/settings/ProgramSectionPage";
import { t } from "~/lib/i18n";
import {
  excludedProductTitles,
  programSectionAction,
  programSectionLoader,
  shopCollections,
} from "~/lib/settings/route.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const [settings, collections] = await Promise.all([
    programSectionLoader(request),
    shopCollections(request),
  ]);
  const productTitles = await excludedProductTitles(
    request,
    settings.config.earning.excludedProductIds,
  );
  return { ...settings, collections, productTitles };
};
export const action = ({ request }: ActionFunctionArgs) => programSectionAction(request, "earning");

export default function EarningSettings() {
  const { collections, productTitles } = useLoaderData<typeof loader>();
  return (
    <ProgramSectionPage
      section="earning"
      title={t("settings.earning.title")}
      description={t("settings.earning.description")}
    >
      {(form) => (
        <FormLayout>
          <FormLayout.Group>
            <NumberField
              form={form}
              path="earning.pointsPerUnit"
              label={t("settings.earning.pointsPerUnit", { currency: form.data.currency })}
              helpText={t("settings.earning.pointsPerUnitHelp")}
            />
            <SelectField
              form={form}
              path="earning.rounding"
              label={t("settings.earning.rounding")}
              options={[
                { label: t("settings.earning.rounding.down"), value: "down" },
                { label: t("settings.earning.rounding.nearest"), value: "nearest" },
                { label: t("settings.earning.rounding.up"), value: "up" },
              ]}
            />
          </FormLayout.Group>
          <BlockStack gap="100">
            <CheckboxField
              form={form}
              path="earning.includeShipping"
              label={t("settings.earning.includeShipping")}
            />
            <CheckboxField
              form={form}
              path="earning.includeTax"
              label={t("settings.earning.includeTax")}
            />
            <CheckboxField
              form={form}
              path="earning.deductDiscounts"
              label={t("settings.earning.deductDiscounts")}
              helpText={t("settings.earning.deductDiscountsHelp")}
            />
            <CheckboxField
              form={form}
              path="earning.includeGiftCards"
              label={t("settings.earning.includeGiftCards")}
              helpText={t("settings.earning.includeGiftCardsHelp")}
            />
          </BlockStack>
          <FormLayout.Group>
            <ProductsField
              form={form}
              path="earning.excludedProductIds"
              label={t("settings.earning.excludedProducts")}
              helpText={t("settings.earning.excludedHelp")}
              titles={productTitles}
            />
            <CollectionsField
              form={form}
              path="earning.excludedCollectionIds"
              label={t("settings.earning.excludedCollections")}
              shop={collections}
            />
          </FormLayout.Group>
          <CheckboxField
            form={form}
            path="refunds.allowNegativeBalance"
            label={t("settings.earning.allowNegative")}
            helpText={t("settings.earning.allowNegativeHelp")}
          />
        </FormLayout>
      )}
    </ProgramSectionPage>
  );
}
