import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { t } from "~/lib/i18n";

/** The form for a new batch: name, points per code, how many codes, optional last day. */
export function BatchFormCard(props: { requestKey: string; errors: Record<string, string> }) {
  const [name, setName] = useState("");
  const [points, setPoints] = useState("100");
  const [count, setCount] = useState("100");
  const [expiresOn, setExpiresOn] = useState("");
  const busy = useNavigation().state === "submitting";
  return (
    <Card>
      <Form method="post">
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("claimCodes.form.heading")}
          </Text>
          <input type="hidden" name="requestKey" value={props.requestKey} />
          <FormLayout>
            <TextField
              label={t("claimCodes.form.name")}
              name="name"
              value={name}
              onChange={setName}
              helpText={t("claimCodes.form.nameHelp")}
              error={props.errors.name}
              autoComplete="off"
              maxLength={100}
            />
            <FormLayout.Group>
              <TextField
                label={t("claimCodes.form.points")}
                name="points"
                type="number"
                min={1}
                max={100000}
                value={points}
                onChange={setPoints}
                error={props.errors.points}
                autoComplete="off"
              />
              <TextField
                label={t("claimCodes.form.count")}
                name="count"
                type="number"
                min={1}
                max={10000}
                value={count}
                onChange={setCount}
                error={props.errors.count}
                autoComplete="off"
              />
              <TextField
                label={t("claimCodes.form.expiresOn")}
                name="expiresOn"
                type="date"
                value={expiresOn}
                onChange={setExpiresOn}
                helpText={t("claimCodes.form.expiresOnHelp")}
                error={props.errors.expiresOn}
                autoComplete="off"
              />
            </FormLayout.Group>
          </FormLayout>
          <div>
            <Button submit variant="primary" loading={busy}>
              {t("claimCodes.form.create")}
            </Button>
          </div>
        </BlockStack>
      </Form>
    </Card>
  );
}
