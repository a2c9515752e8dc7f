import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  useLoaderData,
  useNavigation,
  useRouteError,
  useSubmit,
} from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Spinner,
  Text,
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { GroupedBarChart, HorizontalBars } from "~/components/dashboard/charts";
import prisma from "~/db.server";
import { PERIOD_PRESETS } from "~/domain/dashboard/period";
import { minorToDecimalString } from "~/domain/rewards/money";
import { t } from "~/lib/i18n";
import { dashboardOverview } from "~/services/dashboard/overview.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(prisma, session.shop);
  return dashboardOverview(shop.id, new URL(request.url).searchParams);
};

export const meta: MetaFunction = () => [{ title: t("dashboard.documentTitle") }];

// Labels are read when the chart renders, in the page's language.
const SERIES = [
  { key: "issued", label: "dashboard.metric.issued", color: "#2c6ecb" },
  { key: "redeemed", label: "dashboard.metric.redeemed", color: "#008060" },
  { key: "expired", label: "dashboard.metric.expired", color: "#b98900" },
] as const;

export default function DashboardPage() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading =
    navigation.state === "loading" && navigation.location.pathname === "/app/dashboard";
  const { period } = data;
  const money = (minor: number) =>
    new Intl.NumberFormat("en", { style: "currency", currency: data.currency }).format(
      Number(minorToDecimalString(minor, data.currency)),
    );
  const nothingYet =
    data.members.total === 0 && data.points.issued === 0 && data.rewardOrders.orders === 0;

  return (
    <Page title={t("dashboard.title")} backAction={{ content: t("dashboard.back"), url: "/app" }}>
      <TitleBar title={t("dashboard.title")} />
      <BlockStack gap="400">
        <PeriodPicker key={`${period.preset}:${period.from}:${period.to}`} period={period} />
        {data.periodError && (
          <Banner tone="warning" title={t("dashboard.period.error.title")}>
            <p>{t(`dashboard.period.error.${data.periodError}`)}</p>
          </Banner>
        )}
        {loading && (
          <InlineStack gap="200" blockAlign="center">
            <Spinner size="small" accessibilityLabel={t("dashboard.loading")} />
            <Text as="span" tone="subdued">
              {t("dashboard.loading")}
            </Text>
          </InlineStack>
        )}
        <div aria-busy={loading} style={{ opacity: loading ? 0.5 : 1 }}>
          {nothingYet ? (
            <Card>
              <EmptyState heading={t("dashboard.empty.heading")} image="">
                <p>{t("dashboard.empty.body")}</p>
              </EmptyState>
            </Card>
          ) : (
            <Layout>
              <Layout.Section>
                <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                  <Figure
                    label={t("dashboard.metric.members")}
                    value={data.members.total.toLocaleString("en")}
                    help={t("dashboard.metric.members.help", {
                      joined: data.members.joined.toLocaleString("en"),
                    })}
                  />
                  <Figure
                    label={t("dashboard.metric.active")}
                    value={data.members.active.toLocaleString("en")}
                    help={t("dashboard.metric.active.help")}
                  />
                  <Figure
                    label={t("dashboard.metric.rate")}
                    value={
                      data.redemptionRate === null
                        ? t("dashboard.metric.rate.none")
                        : `${(data.redemptionRate * 100).toFixed(1)}%`
                    }
                    help={t("dashboard.metric.rate.help")}
                  />
                  <Figure
                    label={t("dashboard.metric.revenue")}
                    value={money(data.rewardOrders.revenueMinor)}
                    help={t("dashboard.metric.revenue.help", {
                      orders: data.rewardOrders.orders.toLocaleString("en"),
                      rewards: data.rewardOrders.rewardsUsed.toLocaleString("en"),
                    })}
                  />
                  <Figure
                    label={t("dashboard.metric.issued")}
                    value={data.points.issued.toLocaleString("en")}
                  />
                  <Figure
                    label={t("dashboard.metric.redeemed")}
                    value={data.points.redeemed.toLocaleString("en")}
                  />
                  <Figure
                    label={t("dashboard.metric.expired")}
                    value={data.points.expired.toLocaleString("en")}
                  />
                  <Figure
                    label={t("dashboard.metric.liability")}
                    value={data.liability.points.toLocaleString("en")}
                    help={
                      data.pointValue && data.liability.valueMinor !== null
                        ? t("dashboard.metric.liability.value", {
                            amount: money(data.liability.valueMinor),
                            points: data.pointValue.points.toLocaleString("en"),
                            value: money(data.pointValue.minor),
                          })
                        : t("dashboard.metric.liability.points")
                    }
                  />
                </InlineGrid>
              </Layout.Section>
              <Layout.Section>
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      {t("dashboard.chart.points.title")}
                    </Text>
                    <GroupedBarChart
                      title={t("dashboard.chart.points.title")}
                      description={t("dashboard.chart.points.description", {
                        bucket: t(`dashboard.chart.bucket.${data.series.bucket}`),
                        from: period.from,
                        to: period.to,
                      })}
                      bucketHeading={t("dashboard.chart.bucketHeading")}
                      labels={data.series.points.map((p) => p.day)}
                      series={SERIES.map((series) => ({ ...series, label: t(series.label) }))}
                      values={data.series.points.map((p) => [p.issued, p.redeemed, p.expired])}
                    />
                  </BlockStack>
                </Card>
              </Layout.Section>
              <Layout.Section variant="oneThird">
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      {t("dashboard.chart.tiers.title")}
                    </Text>
                    {data.tiers.length === 1 ? (
                      <Text as="p" tone="subdued">
                        {t("dashboard.chart.tiers.noTiers")}
                      </Text>
                    ) : null}
                    <HorizontalBars
                      title={t("dashboard.chart.tiers.title")}
                      color="#2c6ecb"
                      rows={data.tiers.map((tier) => ({
                        label: tier.name ?? t("dashboard.chart.tiers.noTier"),
                        value: tier.members,
                      }))}
                    />
                  </BlockStack>
                </Card>
              </Layout.Section>
            </Layout>
          )}
        </div>
      </BlockStack>
    </Page>
  );
}

function Figure({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        {help && (
          <Text as="p" tone="subdued" variant="bodySm">
            {help}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

/** Presets apply on change; a custom range applies with its button (a GET form, so URLs share). */
function PeriodPicker({
  period,
}: {
  period: { preset: string; from: string; to: string; days: number };
}) {
  const submit = useSubmit();
  const [preset, setPreset] = useState(period.preset);
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const options = [
    ...PERIOD_PRESETS.map((p) => ({ label: t(`dashboard.period.${p}`), value: p })),
    { label: t("dashboard.period.custom"), value: "custom" },
  ];
  return (
    <Card>
      <Form method="get">
        <InlineStack gap="300" blockAlign="end" wrap>
          <Select
            label={t("dashboard.period.label")}
            name={preset === "custom" ? undefined : "period"}
            options={options}
            value={preset}
            onChange={(value) => {
              setPreset(value);
              if (value !== "custom") submit({ period: value }, { method: "get" });
            }}
          />
          {preset === "custom" && (
            <>
              <TextField
                label={t("dashboard.period.from")}
                type="date"
                name="from"
                value={from}
                onChange={setFrom}
                autoComplete="off"
              />
              <TextField
                label={t("dashboard.period.to")}
                type="date"
                name="to"
                value={to}
                onChange={setTo}
                autoComplete="off"
              />
              <Button submit>{t("dashboard.period.apply")}</Button>
            </>
          )}
          <Text as="p" tone="subdued">
            {t("dashboard.period.range", { from: period.from, to: period.to, days: period.days })}
          </Text>
        </InlineStack>
      </Form>
    </Card>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  // Auth redirects and other responses go through Shopify's boundary, as in app.tsx.
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return (
    <Page title={t("dashboard.title")}>
      <Banner tone="critical" title={t("dashboard.error.heading")}>
        <p>{t("dashboard.error.body")}</p>
      </Banner>
    </Page>
  );
}
