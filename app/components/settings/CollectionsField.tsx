import { BlockStack, ChoiceList, Text } from "@shopify/polaris";
import type { ShopCollections } from "~/integrations/shopify/product-collections.server";
import { t } from "~/lib/i18n";
import { getAt, LinesField, type FieldForm } from "./fields";

/**
 * Collections picked by title from what the Admin API lists. An excluded id the list does not
 * have (a deleted collection, or one past the first 250) stays a choice, named by its id, so it
 * can be seen and removed. Without a list the ids field is all there is.
 */
export function CollectionsField(props: {
  form: FieldForm;
  path: string;
  label: string;
  shop: ShopCollections | null;
}) {
  const selected = (getAt(props.form.draft, props.path) as string[] | undefined) ?? [];
  if (!props.shop) {
    return (
      <LinesField
        form={props.form}
        path={props.path}
        label={props.label}
        helpText={t("settings.earning.collectionsUnavailable")}
      />
    );
  }
  const listed = new Set(props.shop.collections.map((c) => c.id));
  const choices = [
    ...props.shop.collections.map((c) => ({ label: c.title, value: c.id })),
    ...selected
      .filter((id) => !listed.has(id))
      .map((id) => ({ label: t("settings.earning.collectionById", { id }), value: id })),
  ];
  return (
    <BlockStack gap="200">
      {choices.length === 0 ? (
        <Text as="p" tone="subdued">
          {props.label}: {t("settings.earning.noCollections")}
        </Text>
      ) : (
        <ChoiceList
          allowMultiple
          title={props.label}
          choices={choices}
          selected={selected}
          onChange={(ids) => props.form.set(props.path, ids)}
          error={props.form.errors[props.path]}
        />
      )}
      {props.shop.truncated ? (
        <LinesField
          form={props.form}
          path={props.path}
          label={t("settings.earning.collectionIds")}
          helpText={t("settings.earning.collectionsTruncated")}
        />
      ) : null}
    </BlockStack>
  );
}
