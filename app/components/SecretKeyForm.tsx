import { Form } from "@remix-run/react";
import { BlockStack, Button, InlineStack, TextField } from "@shopify/polaris";
import { useState } from "react";

/**
 * A pasted API key and its Connect button (intent "connect", field "apiKey"): a password field,
 * so the key is never shown, and a button that waits until something is pasted.
 */
export function SecretKeyForm(props: {
  label: string;
  helpText: string;
  submit: string;
  busy: boolean;
}) {
  const [apiKey, setApiKey] = useState("");
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="connect" />
      <BlockStack gap="200">
        <TextField
          label={props.label}
          name="apiKey"
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={setApiKey}
          helpText={props.helpText}
        />
        <InlineStack>
          <Button submit variant="primary" loading={props.busy} disabled={apiKey.trim() === ""}>
            {props.submit}
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
