import { Banner, BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { useCsvDownload } from "~/components/useCsvDownload";
import { batchFileName } from "~/domain/claim-codes/file-name";
import { numberLocale, t } from "~/lib/i18n";

interface Batch {
  id: string;
  name: string;
  points: number;
  count: number;
  claimed: number;
  expired: number;
  expiresAt: string | null;
  createdAt: string;
}

const date = (iso: string) =>
  new Intl.DateTimeFormat(numberLocale(), { dateStyle: "medium" }).format(new Date(iso));
const count = (n: number) => new Intl.NumberFormat(numberLocale()).format(n);

/** The batches with their counts and downloads (CSV, PDF sheet of QR codes). */
export function BatchTable(props: { batches: Batch[] }) {
  const { download, loadingPath, failed } = useCsvDownload();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("claimCodes.list.heading")}
        </Text>
        {failed ? <Banner tone="critical">{t("claimCodes.list.downloadFailed")}</Banner> : null}
        {props.batches.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("claimCodes.list.empty")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={[
              "text",
              "numeric",
              "numeric",
              "numeric",
              "numeric",
              "text",
              "text",
            ]}
            headings={[
              t("claimCodes.column.name"),
              t("claimCodes.column.points"),
              t("claimCodes.column.created"),
              t("claimCodes.column.claimed"),
              t("claimCodes.column.expired"),
              t("claimCodes.column.expiresAt"),
              t("claimCodes.column.downloads"),
            ]}
            rows={props.batches.map((batch) => [
              <BlockStack key="name" gap="050">
                <Text as="span" fontWeight="semibold">
                  {batch.name}
                </Text>
                <Text as="span" tone="subdued" variant="bodySm">
                  {date(batch.createdAt)}
                </Text>
              </BlockStack>,
              count(batch.points),
              count(batch.count),
              count(batch.claimed),
              count(batch.expired),
              // The last day the codes work on is the day before they stop.
              batch.expiresAt
                ? date(new Date(new Date(batch.expiresAt).getTime() - 1).toISOString())
                : t("claimCodes.list.never"),
              <InlineStack key="downloads" gap="200" wrap={false}>
                <Button
                  size="slim"
                  loading={loadingPath === `/app/claim-codes/${batch.id}/csv`}
                  onClick={() =>
                    download(`/app/claim-codes/${batch.id}/csv`, batchFileName(batch.name, "csv"))
                  }
                  accessibilityLabel={t("claimCodes.list.csvFor", { name: batch.name })}
                >
                  CSV
                </Button>
                <Button
                  size="slim"
                  loading={loadingPath === `/app/claim-codes/${batch.id}/pdf`}
                  onClick={() =>
                    download(`/app/claim-codes/${batch.id}/pdf`, batchFileName(batch.name, "pdf"))
                  }
                  accessibilityLabel={t("claimCodes.list.pdfFor", { name: batch.name })}
                >
                  {t("claimCodes.list.pdf")}
                </Button>
              </InlineStack>,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
