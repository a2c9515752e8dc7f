import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, Layout, Page, Text } from "@shopify/polaris";
import { BatchFormCard } from "~/components/claim-codes/BatchFormCard";
import { BatchTable } from "~/components/claim-codes/BatchTable";
import { t } from "~/lib/i18n";
import { adminShop } from "~/lib/settings/route.server";
import { createClaimBatch, listClaimBatches } from "~/services/claim-codes/batches.server";

/** GET /app/claim-codes: the batches of claim codes for offline purchases (issue #23). */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId } = await adminShop(request);
  return { batches: await listClaimBatches(shopId), requestKey: randomUUID() };
};

export type ClaimBatchActionResult =
  { ok: true; batchId: string; created: boolean } | { ok: false; errors: Record<string, string> };

/** POST: creates a batch (name, points, count, expiresOn, requestKey). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopId, t } = await adminShop(request);
  const form = await request.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const result = await createClaimBatch(shopId, {
    name: text("name"),
    points: text("points"),
    count: text("count"),
    expiresOn: text("expiresOn"),
    requestKey: text("requestKey"),
  });
  if (result.ok) return data<ClaimBatchActionResult>(result);
  const errors = Object.fromEntries(
    Object.entries(result.errors).map(([field, key]) => [field, t(key)]),
  );
  return data<ClaimBatchActionResult>({ ok: false, errors }, { status: 400 });
};

export default function ClaimCodesPage() {
  const { batches, requestKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title={t("claimCodes.title")} backAction={{ url: "/app", content: t("claimCodes.back") }}>
      <TitleBar title={t("claimCodes.title")} />
      <Layout>
        {result?.ok ? (
          <Layout.Section>
            <Banner tone={result.created ? "success" : "info"}>
              {t(result.created ? "claimCodes.result.created" : "claimCodes.result.duplicate")}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Text as="p" tone="subdued">
            {t("claimCodes.intro")}
          </Text>
        </Layout.Section>
        <Layout.Section>
          <BatchFormCard
            key={result?.ok ? result.batchId : "new"}
            requestKey={requestKey}
            errors={result && !result.ok ? result.errors : {}}
          />
        </Layout.Section>
        <Layout.Section>
          <BatchTable batches={batches} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
