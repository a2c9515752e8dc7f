import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
import { t } from "~/lib/i18n";
import { adminShop } from "~/lib/settings/route.server";
import {
  checkStoreCreditAgain,
  resolveStoreCredit,
  storeCreditNeedingReview,
  type StoreCreditReviewRow,
} from "~/services/store-credit/review.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId } = await adminShop(request);
  return { rows: await storeCreditNeedingReview(shopId) };
};

const ReviewAction = z.object({
  intent: z.enum(["check", "resolve"]),
  id: z.uuid(),
});

type ActionResult = { ok: boolean; message: string };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { shopId, staff, t } = await adminShop(request);
  const parsed = ReviewAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: t("storeCreditReview.result.unreadable") };
  const { intent, id } = parsed.data;
  const outcome =
    intent === "check"
      ? await checkStoreCreditAgain(shopId, id)
      : await resolveStoreCredit(shopId, id, staff);
  if (outcome === "not_in_review") {
    return { ok: false, message: t("storeCreditReview.result.notInReview") };
  }
  return {
    ok: true,
    message: t(
      intent === "check"
        ? "storeCreditReview.result.checking"
        : "storeCreditReview.result.resolved",
    ),
  };
};

export default function StoreCreditReviewPage() {
  const { rows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page
      title={t("storeCreditReview.title")}
      backAction={{ url: "/app", content: t("storeCreditReview.back") }}
    >
      <TitleBar title={t("storeCreditReview.title")} />
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "warning"}>{result.message}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Text as="p" tone="subdued">
            {t("storeCreditReview.description")}
          </Text>
        </Layout.Section>
        <Layout.Section>
          {rows.length === 0 ? (
            <Card>
              <EmptyState heading={t("storeCreditReview.empty")} image="">
                <p>{t("storeCreditReview.emptyBody")}</p>
              </EmptyState>
            </Card>
          ) : (
            <BlockStack gap="300">
              {rows.map((row) => (
                <ReviewCard key={row.id} row={row} busy={busy} />
              ))}
            </BlockStack>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function ReviewCard({ row, busy }: { row: StoreCreditReviewRow; busy: boolean }) {
  const who =
    row.memberName ?? row.email ?? t("storeCreditReview.customer", { id: row.customerId });
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          {t(row.kind === "credit" ? "storeCreditReview.credit" : "storeCreditReview.debit", {
            amount: row.amountFormatted,
            who,
          })}
        </Text>
        {row.orderId ? (
          <Text as="p" tone="subdued">
            {t("storeCreditReview.order", { id: row.orderId })}
          </Text>
        ) : null}
        <Text as="p">{row.reason ?? t("storeCreditReview.noReason")}</Text>
        <InlineStack gap="200">
          <Form method="post">
            <input type="hidden" name="intent" value="check" />
            <input type="hidden" name="id" value={row.id} />
            <Button submit loading={busy}>
              {t("storeCreditReview.check")}
            </Button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="resolve" />
            <input type="hidden" name="id" value={row.id} />
            <Button submit loading={busy} variant="primary">
              {t("storeCreditReview.resolve")}
            </Button>
          </Form>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
