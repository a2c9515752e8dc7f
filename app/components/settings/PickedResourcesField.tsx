import { BlockStack, Button, InlineError, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { t, type MessageKey } from "~/lib/i18n";
import { getAt, type FieldForm } from "./fields";

type Picked = { id: string; title?: string };
type Resource = "product" | "collection";

/** App Bridge's resource picker, as `window.shopify` offers it inside Shopify admin. */
type ResourcePicker = (options: {
  type: Resource;
  multiple: boolean;
  action: "select";
  selectionIds: { id: string }[];
}) => Promise<Picked[] | undefined>;

const GID: Record<Resource, string> = {
  product: "gid://shopify/Product/",
  collection: "gid://shopify/Collection/",
};

const COPY: Record<Resource, { none: MessageKey; choose: MessageKey; byId: MessageKey }> = {
  product: {
    none: "settings.earning.noExcludedProducts",
    choose: "settings.earning.chooseProducts",
    byId: "settings.earning.productById",
  },
  collection: {
    none: "settings.earning.noExcludedCollections",
    choose: "settings.earning.chooseCollections",
    byId: "settings.earning.collectionById",
  },
};

/**
 * Products or collections chosen with Shopify admin's resource picker: shown by title, stored as
 * Shopify's numeric ids. Nothing is typed, so nothing but the shop's own resources can be saved.
 * One Shopify no longer has is named by its id, so it can be seen and removed.
 */
export function PickedResourcesField(props: {
  form: FieldForm;
  path: string;
  resource: Resource;
  label: string;
  helpText: string;
  /** Titles the loader read for the saved ids. */
  titles: Record<string, string>;
}) {
  const selected = (getAt(props.form.draft, props.path) as string[] | undefined) ?? [];
  const [picked, setPicked] = useState<Record<string, string>>({});
  const copy = COPY[props.resource];
  const gid = GID[props.resource];
  const titleOf = (id: string) => picked[id] ?? props.titles[id] ?? t(copy.byId, { id });
  const error =
    props.form.errors[props.path] ??
    Object.entries(props.form.errors).find(([key]) => key.startsWith(`${props.path}.`))?.[1];

  const choose = async () => {
    const picker = (window as unknown as { shopify?: { resourcePicker?: ResourcePicker } }).shopify
      ?.resourcePicker;
    if (!picker) return;
    const selection = await picker({
      type: props.resource,
      multiple: true,
      action: "select",
      selectionIds: selected.map((id) => ({ id: `${gid}${id}` })),
    });
    if (!selection) return;
    const titles: Record<string, string> = {};
    const ids = selection.map((resource) => {
      const id = resource.id.replace(gid, "");
      if (resource.title) titles[id] = resource.title;
      return id;
    });
    setPicked((known) => ({ ...known, ...titles }));
    props.form.set(props.path, ids);
  };

  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {props.label}
      </Text>
      {selected.length === 0 ? (
        <Text as="p" tone="subdued">
          {t(copy.none)}
        </Text>
      ) : (
        <ul aria-label={props.label} style={{ margin: 0, paddingLeft: 0, listStyle: "none" }}>
          {selected.map((id) => (
            <li key={id}>
              <InlineStack gap="200" blockAlign="center" wrap={false}>
                <Text as="span">{titleOf(id)}</Text>
                <Button
                  variant="plain"
                  accessibilityLabel={t("settings.earning.removePicked", { title: titleOf(id) })}
                  onClick={() =>
                    props.form.set(
                      props.path,
                      selected.filter((other) => other !== id),
                    )
                  }
                >
                  {t("settings.earning.remove")}
                </Button>
              </InlineStack>
            </li>
          ))}
        </ul>
      )}
      <div>
        <Button onClick={() => void choose()}>{t(copy.choose)}</Button>
      </div>
      <Text as="p" tone="subdued">
        {props.helpText}
      </Text>
      {error ? <InlineError message={error} fieldID={props.path} /> : null}
    </BlockStack>
  );
}
