import { BlockStack, Card, Text } from "@shopify/polaris";
import { numberLocale } from "~/lib/i18n";

/** One figure on a card: a subdued label over a large value (numbers get thousands separators). */
export function Metric({ label, value }: { label: string; value: number | string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {typeof value === "number" ? value.toLocaleString(numberLocale()) : value}
        </Text>
      </BlockStack>
    </Card>
  );
}
