import { BlockStack, ChoiceList, FormLayout, Text } from "@shopify/polaris";
import { t, type MessageKey } from "~/lib/i18n";
import { CheckboxField, getAt, MoneyField, NumberField, type FieldForm } from "./fields";
import { TextInputField } from "./TextInputField";

/** The fields of one reward; which ones depends on its kind (RewardDefinitionSchema). */
export type TierChoice = { id: string; name: string };

export function RewardForm({
  form,
  currency,
  creating,
  tiers,
}: {
  form: FieldForm;
  currency: string;
  creating: boolean;
  tiers: TierChoice[];
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
        {has("instructions") ? (
          <TextInputField
            form={form}
            path="instructions"
            label={label("instructions")}
            helpText={t("reward.field.instructionsHelp")}
            multiline={3}
            maxLength={500}
          />
        ) : null}
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
        <TierRestrictionField form={form} tiers={tiers} label={label("eligibleTierIds")} />
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

/**
 * The tiers a reward is limited to, chosen from the program's tiers (none: every member). A tier
 * removed from the program since stays a choice, named as gone, so it can be taken off.
 */
function TierRestrictionField(props: { form: FieldForm; tiers: TierChoice[]; label: string }) {
  const selected = (getAt(props.form.draft, "eligibleTierIds") as string[] | undefined) ?? [];
  const known = new Set(props.tiers.map((tier) => tier.id));
  const choices = [
    ...props.tiers.map((tier) => ({ label: tier.name || tier.id, value: tier.id })),
    ...selected
      .filter((id) => !known.has(id))
      .map((id) => ({ label: t("reward.field.eligibleTierGone", { id }), value: id })),
  ];
  if (choices.length === 0) {
    return (
      <Text as="p" tone="subdued">
        {props.label}: {t("reward.field.eligibleTierNone")}
      </Text>
    );
  }
  const error =
    props.form.errors.eligibleTierIds ??
    Object.entries(props.form.errors).find(([key]) => key.startsWith("eligibleTierIds."))?.[1];
  return (
    <ChoiceList
      allowMultiple
      title={props.label}
      choices={choices}
      selected={selected}
      onChange={(ids) => props.form.set("eligibleTierIds", ids)}
      error={error}
    />
  );
}
