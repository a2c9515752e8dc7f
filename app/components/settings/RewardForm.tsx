import { BlockStack, FormLayout, Text } from "@shopify/polaris";
import { t, type MessageKey } from "~/lib/i18n";
import {
  CheckboxField,
  getAt,
  LinesField,
  MoneyField,
  NumberField,
  type FieldForm,
} from "./fields";
import { TextInputField } from "./TextInputField";

/** The fields of one reward; which ones depends on its kind (RewardDefinitionSchema). */
export function RewardForm({
  form,
  currency,
  creating,
}: {
  form: FieldForm;
  currency: string;
  creating: boolean;
}) {
  const type = String(getAt(form.draft, "type"));
  const has = (key: string) =>
    getAt(form.draft, key) !== undefined || key in (form.draft as object);
  const label = (key: string) => t(`reward.field.${key}` as MessageKey);
  return (
    <BlockStack gap="300">
      <Text as="h2" variant="headingMd">
        {t(`reward.kind.${type}` as MessageKey)}
      </Text>
      <FormLayout>
        <FormLayout.Group>
          <TextInputField form={form} path="name" label={label("name")} />
          <TextInputField
            form={form}
            path="handle"
            label={label("handle")}
            helpText={t("reward.field.handleHelp")}
            disabled={!creating}
          />
        </FormLayout.Group>
        <FormLayout.Group>
          {has("pointsCost") ? (
            <NumberField
              form={form}
              path="pointsCost"
              label={label("pointsCost")}
              suffix={t("settings.points")}
            />
          ) : null}
          {has("amountMinor") ? (
            <MoneyField
              form={form}
              path="amountMinor"
              label={label("amountMinor")}
              currency={currency}
            />
          ) : null}
          {has("percentage") ? (
            <NumberField form={form} path="percentage" label={label("percentage")} suffix="%" />
          ) : null}
          {has("variantId") ? (
            <TextInputField form={form} path="variantId" label={label("variantId")} />
          ) : null}
          {has("maximumShippingPriceMinor") ? (
            <MoneyField
              form={form}
              path="maximumShippingPriceMinor"
              label={label("maximumShippingPriceMinor")}
              currency={currency}
              empty="null"
            />
          ) : null}
        </FormLayout.Group>
        {type === "pay_with_points" ? (
          <FormLayout.Group>
            <NumberField form={form} path="pointsPerStep" label={label("pointsPerStep")} />
            <MoneyField
              form={form}
              path="amountMinorPerStep"
              label={label("amountMinorPerStep")}
              currency={currency}
            />
            <NumberField form={form} path="minPoints" label={label("minPoints")} />
            <NumberField form={form} path="maxPoints" label={label("maxPoints")} />
          </FormLayout.Group>
        ) : null}
        <FormLayout.Group>
          {has("minimumSubtotalMinor") ? (
            <MoneyField
              form={form}
              path="minimumSubtotalMinor"
              label={label("minimumSubtotalMinor")}
              currency={currency}
              empty="null"
            />
          ) : null}
          {has("codeExpiryDays") ? (
            <NumberField
              form={form}
              path="codeExpiryDays"
              label={label("codeExpiryDays")}
              empty="null"
            />
          ) : null}
          {has("creditExpiryDays") ? (
            <NumberField
              form={form}
              path="creditExpiryDays"
              label={label("creditExpiryDays")}
              empty="null"
            />
          ) : null}
          {has("expiryReminderDays") ? (
            <NumberField
              form={form}
              path="expiryReminderDays"
              label={label("expiryReminderDays")}
            />
          ) : null}
          <NumberField
            form={form}
            path="limitPerMember"
            label={label("limitPerMember")}
            empty="null"
          />
        </FormLayout.Group>
        <LinesField
          form={form}
          path="eligibleTierIds"
          label={label("eligibleTierIds")}
          helpText={t("reward.field.eligibleTierIdsHelp")}
        />
        {has("combinesWith") ? (
          <BlockStack gap="100">
            <CheckboxField
              form={form}
              path="combinesWith.orderDiscounts"
              label={label("combinesOrder")}
            />
            <CheckboxField
              form={form}
              path="combinesWith.productDiscounts"
              label={label("combinesProduct")}
            />
            <CheckboxField
              form={form}
              path="combinesWith.shippingDiscounts"
              label={label("combinesShipping")}
            />
          </BlockStack>
        ) : null}
        <CheckboxField form={form} path="enabled" label={label("enabled")} />
      </FormLayout>
    </BlockStack>
  );
}
