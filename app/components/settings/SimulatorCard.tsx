import {
  BlockStack,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Text,
  TextField,
} from "@shopify/polaris";
import { useMemo, useState } from "react";
import type { ProgramConfig } from "~/domain/program";
import {
  simulateProgram,
  SimulationInputSchema,
  type SimulationResult,
  type SimulationStep,
} from "~/domain/simulator";
import { numberLocale, t } from "~/lib/i18n";
import { errorsUnder, fieldErrorsOf } from "~/lib/settings/field-errors";
import { formatMinor, parseMinor } from "./money";

interface Row {
  date: string;
  amount: string;
  refund: string;
  refundDate: string;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function sampleRows(now: string, currency: string): Row[] {
  const today = Date.parse(now);
  const money = (minor: number) => formatMinor(minor, currency);
  return [
    { date: isoDay(today - 120 * DAY), amount: money(12_000), refund: "", refundDate: "" },
    {
      date: isoDay(today - 60 * DAY),
      amount: money(8_000),
      refund: money(2_000),
      refundDate: isoDay(today - 55 * DAY),
    },
    { date: isoDay(today - 7 * DAY), amount: money(25_000), refund: "", refundDate: "" },
  ];
}

/** Noon UTC of a typed day: the same instant on the server and in any browser. */
const instant = (day: string) => (/^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T12:00:00Z` : day);

interface Props {
  config: ProgramConfig | null;
  savedConfig: ProgramConfig;
  dirty: boolean;
  currency: string;
  timeZone: string;
  now: string;
}

/** "A customer who spends … on these dates gets …", run with the draft settings before saving. */
export function SimulatorCard(props: Props) {
  const { currency } = props;
  const [rows, setRows] = useState<Row[]>(() => sampleRows(props.now, currency));
  const input = {
    currency,
    timeZone: props.timeZone,
    until: props.now,
    orders: rows.map((row) => ({
      at: instant(row.date),
      amountMinor: parseMinor(row.amount, currency),
      refunds:
        row.refund.trim() === ""
          ? []
          : [
              {
                at: instant(row.refundDate || row.date),
                amountMinor: parseMinor(row.refund, currency),
              },
            ],
    })),
  };
  const parsed = SimulationInputSchema.safeParse(input);
  const errors = parsed.success ? {} : fieldErrorsOf(parsed.error.issues);
  const key = JSON.stringify(input);
  const run = useMemo(() => {
    if (!parsed.success || !props.config) return null;
    return {
      draft: simulateProgram(props.config, parsed.data),
      saved: props.dirty ? simulateProgram(props.savedConfig, parsed.data) : null,
    };
    // `key` stands for the input; the configs are compared by identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, props.config, props.savedConfig, props.dirty]);

  const update = (index: number, field: keyof Row, value: string) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, [field]: value } : row)));

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("simulator.heading")}
        </Text>
        <Text as="p" tone="subdued">
          {t("simulator.intro")}
        </Text>
        {rows.map((row, index) => {
          const rowErrors = errorsUnder(errors, `orders.${index}`);
          return (
            <BlockStack key={index} gap="100">
              <InlineGrid columns={2} gap="200">
                <TextField
                  label={t("simulator.date", { n: index + 1 })}
                  type="date"
                  value={row.date}
                  onChange={(v) => update(index, "date", v)}
                  error={rowErrors.at}
                  autoComplete="off"
                />
                <TextField
                  label={t("simulator.amount", { currency })}
                  value={row.amount}
                  onChange={(v) => update(index, "amount", v)}
                  error={rowErrors.amountMinor}
                  autoComplete="off"
                  inputMode="decimal"
                />
                <TextField
                  label={t("simulator.refund", { currency })}
                  value={row.refund}
                  onChange={(v) => update(index, "refund", v)}
                  error={rowErrors.refunds ?? rowErrors["refunds.0.amountMinor"]}
                  autoComplete="off"
                  inputMode="decimal"
                />
                <TextField
                  label={t("simulator.refundDate")}
                  type="date"
                  value={row.refundDate}
                  onChange={(v) => update(index, "refundDate", v)}
                  error={rowErrors["refunds.0.at"]}
                  autoComplete="off"
                />
              </InlineGrid>
              {rows.length > 1 ? (
                <InlineStack align="end">
                  <Button
                    variant="plain"
                    tone="critical"
                    onClick={() => setRows((c) => c.filter((_, i) => i !== index))}
                    accessibilityLabel={t("simulator.removeLabel", { n: index + 1 })}
                  >
                    {t("simulator.remove")}
                  </Button>
                </InlineStack>
              ) : null}
            </BlockStack>
          );
        })}
        <InlineStack>
          <Button
            onClick={() =>
              setRows((c) => [
                ...c,
                { date: isoDay(Date.parse(props.now)), amount: "", refund: "", refundDate: "" },
              ])
            }
            disabled={rows.length >= 50}
          >
            {t("simulator.add")}
          </Button>
        </InlineStack>
        {errors[""] ? (
          <Text as="p" tone="critical">
            {errors[""]}
          </Text>
        ) : null}
        {!props.config ? (
          <Text as="p" tone="critical">
            {t("simulator.invalidDraft")}
          </Text>
        ) : run ? (
          <SimulationResultView
            result={run.draft}
            saved={run.saved}
            config={props.config}
            currency={currency}
          />
        ) : null}
      </BlockStack>
    </Card>
  );
}

function SimulationResultView(props: {
  result: SimulationResult;
  saved: SimulationResult | null;
  config: ProgramConfig;
  currency: string;
}) {
  const { result, config } = props;
  const tierName = (id: string | null) =>
    id === null ? t("simulator.noTier") : (config.tiers.find((tier) => tier.id === id)?.name ?? id);
  const points = (n: number) => n.toLocaleString(numberLocale());
  return (
    <BlockStack gap="200">
      <div aria-live="polite">
        <Text as="p" variant="headingSm">
          {t("simulator.summary", {
            balance: points(result.balance),
            tier: tierName(result.tierId),
            date: result.asOf,
          })}
        </Text>
        {props.saved ? (
          <Text as="p" tone="subdued">
            {t("simulator.savedSummary", {
              balance: points(props.saved.balance),
              tier: tierName(props.saved.tierId),
            })}
          </Text>
        ) : null}
      </div>
      <ul style={{ margin: 0, paddingInlineStart: "1.2em" }} aria-label={t("simulator.steps")}>
        {result.steps.map((step, index) => (
          <li key={index}>
            <Text as="span">{describeStep(step, tierName)}</Text>
          </li>
        ))}
      </ul>
      {config.storeCredit.enabled ? (
        <Text as="p">
          {t("simulator.storeCredit", {
            amount: formatMinor(result.storeCreditMinor, props.currency),
            currency: props.currency,
          })}
        </Text>
      ) : null}
      <Text as="p" tone="subdued">
        {t("simulator.totals", {
          lifetime: points(result.lifetimeEarned),
          expired: points(result.expired),
        })}
      </Text>
    </BlockStack>
  );
}

function describeStep(step: SimulationStep, tierName: (id: string | null) => string): string {
  const day = new Date(step.at).toISOString().slice(0, 10);
  switch (step.kind) {
    case "earn":
      return t(step.releaseOn ? "simulator.step.earnHeld" : "simulator.step.earn", {
        day,
        order: step.order + 1,
        points: step.points,
        multiplier: step.multiplier,
        release: step.releaseOn ?? "",
      });
    case "clawback":
      return t("simulator.step.clawback", { day, order: step.order + 1, points: step.points });
    case "tier_bonus":
      return t("simulator.step.bonus", { day, points: step.points, tier: tierName(step.tierId) });
    case "tier_bonus_returned":
      return t("simulator.step.bonusReturned", {
        day,
        points: step.points,
        tier: tierName(step.tierId),
      });
    case "goal_bonus":
      return t("simulator.step.goal", {
        day,
        points: step.points,
        order: step.order + 1,
        goal: step.goalId,
      });
    case "goal_bonus_returned":
      return t("simulator.step.goalReturned", { day, points: step.points, goal: step.goalId });
    case "tier_change":
      return t("simulator.step.tier", { day, from: tierName(step.from), to: tierName(step.to) });
    case "expiry":
      return t("simulator.step.expiry", { day, points: step.points });
  }
}
