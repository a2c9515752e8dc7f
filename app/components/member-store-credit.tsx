import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, ChoiceList, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { t } from "~/lib/i18n";

type FormProps = { busy: boolean; errors: Record<string, string> };

/**
 * Staff issue or take store credit in the shop's currency (source manual). Shopify holds the
 * balance; the worker sends the change once and the events follow when Shopify applied it.
 */
export function StoreCreditCard(
  props: FormProps & { formToken: string; currency: string; balance: string | null },
) {
  const [direction, setDirection] = useState<string[]>(["credit"]);
  const [amount, setAmount] = useState("");
  const [expiresOn, setExpiresOn] = useState("");
  const [note, setNote] = useState("");
  const { errors } = props;
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="storeCredit" />
        <input type="hidden" name="formToken" value={props.formToken} />
        <input type="hidden" name="direction" value={direction[0] ?? ""} />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("member.storeCredit.heading")}
          </Text>
          <Text as="p" tone="subdued">
            {props.balance
              ? t("member.storeCredit.balance", { amount: props.balance })
              : t("member.storeCredit.none")}
          </Text>
          <ChoiceList
            title={t("member.storeCredit.direction")}
            choices={[
              { label: t("member.storeCredit.issue"), value: "credit" },
              { label: t("member.storeCredit.take"), value: "debit" },
            ]}
            selected={direction}
            onChange={setDirection}
            error={errors.direction}
          />
          <TextField
            label={t("member.storeCredit.amount", { currency: props.currency })}
            name="amount"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            onChange={setAmount}
            error={errors.amount}
          />
          {direction[0] === "credit" ? (
            <TextField
              label={t("member.storeCredit.expires")}
              name="expiresOn"
              type="date"
              autoComplete="off"
              value={expiresOn}
              onChange={setExpiresOn}
              error={errors.expiresOn}
            />
          ) : null}
          <TextField
            label={t("member.storeCredit.note")}
            name="note"
            autoComplete="off"
            value={note}
            onChange={setNote}
            error={errors.note ?? errors.formToken}
          />
          <Text as="p" tone="subdued">
            {t("member.storeCredit.help")}
          </Text>
          <Button submit variant="primary" loading={props.busy}>
            {t("member.storeCredit.submit")}
          </Button>
        </BlockStack>
      </Form>
    </Card>
  );
}
