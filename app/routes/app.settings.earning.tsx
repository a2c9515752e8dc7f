import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, FormLayout } from "@shopify/polaris";
import { CheckboxField, NumberField, SelectField } from "~/components/settings/fields";
import { PickedResourcesField } from "~/components/settings/PickedResourcesField";
import { ProgramSectionPage } from "~/components/settings/ProgramSectionPage";
import { t } from "~/lib/i18n";
import {
  excludedTitles,
  programSectionAction,
  programSectionLoader,
} from "~/lib/settings/route.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const settings = await programSectionLoader(request);
  const { excludedProductIds, excludedCollectionIds } = settings.config.earning;
  const [productTitles, collectionTitles] = await Promise.all([
    excludedTitles(request, "Product", excludedProductIds),
    excludedTitles(request, "Collection", excludedCollectionIds),
  ]);
  return { ...settings, productTitles, collectionTitles };
};
export const action = ({ request }: ActionFunctionArgs) => programSectionAction(request, "earning");

export default function EarningSettings() {
  const { productTitles, collectionTitles } = useLoaderData<typeof loader>();
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
            <PickedResourcesField
              form={form}
              path="earning.excludedProductIds"
              resource="product"
              label={t("settings.earning.excludedProducts")}
              helpText={t("settings.earning.excludedHelp")}
              titles={productTitles}
            />
            <PickedResourcesField
              form={form}
              path="earning.excludedCollectionIds"
              resource="collection"
              label={t("settings.earning.excludedCollections")}
              helpText={t("settings.earning.excludedCollectionsHelp")}
              titles={collectionTitles}
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
