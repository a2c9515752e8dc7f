import type { ReactNode } from "react";
import { BlockStack, Box, Button, InlineStack, Text } from "@shopify/polaris";
import { t } from "~/lib/i18n";

/**
 * A list the merchant edits row by row in Settings (tiers, goals, custom actions): a list with a
 * label for screen readers, each row a bordered card.
 */
export function RowList({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="list" aria-label={label}>
      <BlockStack gap="300">{children}</BlockStack>
    </div>
  );
}

/** One row: its heading, a Remove button (and any other row actions), then its fields. */
export function RowCard(props: {
  heading: string;
  headingAs: "h3" | "h4";
  removeLabel: string;
  onRemove: () => void;
  /** Buttons shown before Remove (the tiers' Up and Down). */
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div role="listitem">
      <Box padding="300" borderColor="border" borderWidth="025" borderRadius="200">
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="center">
            <Text as={props.headingAs} variant="headingSm">
              {props.heading}
            </Text>
            <InlineStack gap="200">
              {props.actions}
              <Button
                size="slim"
                tone="critical"
                onClick={props.onRemove}
                accessibilityLabel={props.removeLabel}
              >
                {t("settings.tiers.remove")}
              </Button>
            </InlineStack>
          </InlineStack>
          {props.children}
        </BlockStack>
      </Box>
    </div>
  );
}

/**
 * A titled section holding a row list (goals, custom actions): its help, the list's own error,
 * a line when it is empty, and the Add button (off at the list's maximum).
 */
export function RowListSection(props: {
  title: string;
  help: string;
  error: string | undefined;
  emptyText: string;
  rowCount: number;
  addLabel: string;
  canAdd: boolean;
  onAdd: () => void;
  children: ReactNode;
}) {
  return (
    <BlockStack gap="300">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {props.title}
        </Text>
        <Text as="p" tone="subdued">
          {props.help}
        </Text>
      </BlockStack>
      {props.error ? (
        <Text as="p" tone="critical">
          {props.error}
        </Text>
      ) : null}
      {props.rowCount === 0 ? (
        <Text as="p" tone="subdued">
          {props.emptyText}
        </Text>
      ) : (
        <RowList label={props.title}>{props.children}</RowList>
      )}
      <div>
        <Button onClick={props.onAdd} disabled={!props.canAdd}>
          {props.addLabel}
        </Button>
      </div>
    </BlockStack>
  );
}
