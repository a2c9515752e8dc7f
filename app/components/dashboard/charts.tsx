import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { numberLocale } from "~/lib/i18n";
import { useId } from "react";

// Inline SVG charts (ADR 0033): rendered on the server like the rest of the page, no chart
// library, each with a title, a description and the same numbers as a table for screen readers.

export interface Series {
  key: string;
  label: string;
  /** Polaris data-visualisation colours with at least 3:1 contrast on white. */
  color: string;
}

const HEIGHT = 220;

/** Read by screen readers, not drawn (the chart above shows the same numbers). */
const VISUALLY_HIDDEN = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
} as const;
const AXIS = 44;
const BOTTOM = 28;
const TOP = 8;

/** A grouped bar chart: one group per bucket, one bar per series. */
export function GroupedBarChart({
  title,
  description,
  labels,
  series,
  values,
  bucketHeading,
}: {
  title: string;
  description: string;
  /** One label per bucket (x axis). */
  labels: string[];
  series: Series[];
  /** values[bucket][series] */
  values: number[][];
  bucketHeading: string;
}) {
  const id = useId();
  const max = niceMax(Math.max(0, ...values.flat()));
  const width = Math.max(320, labels.length * (series.length * 6 + 6) + AXIS);
  const plotWidth = width - AXIS;
  const groupWidth = plotWidth / Math.max(1, labels.length);
  const barWidth = Math.max(1, (groupWidth * 0.8) / series.length);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const y = (value: number) => TOP + plotHeight - (max === 0 ? 0 : (value / max) * plotHeight);
  const ticks = [0, max / 2, max];
  // At most ~8 x-axis labels, evenly spaced.
  const labelEvery = Math.max(1, Math.ceil(labels.length / 8));
  return (
    <BlockStack gap="200">
      <InlineStack gap="400" wrap>
        {series.map((s) => (
          <InlineStack key={s.key} gap="100" blockAlign="center">
            <span
              aria-hidden
              style={{ width: 12, height: 12, borderRadius: 2, background: s.color }}
            />
            <Text as="span" variant="bodySm">
              {s.label}
            </Text>
          </InlineStack>
        ))}
      </InlineStack>
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        preserveAspectRatio="none"
        style={{ width: "100%", height: HEIGHT, display: "block" }}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={AXIS} x2={width} y1={y(tick)} y2={y(tick)} stroke="#e3e3e3" />
            <text x={AXIS - 6} y={y(tick) + 4} textAnchor="end" fontSize="11" fill="#616161">
              {compact(tick)}
            </text>
          </g>
        ))}
        {labels.map((label, bucket) => {
          const x0 = AXIS + bucket * groupWidth + groupWidth * 0.1;
          return (
            <g key={label}>
              {series.map((s, index) => {
                const value = values[bucket]?.[index] ?? 0;
                return (
                  <rect
                    key={s.key}
                    x={x0 + index * barWidth}
                    y={y(value)}
                    width={Math.max(1, barWidth - 1)}
                    height={Math.max(0, y(0) - y(value))}
                    fill={s.color}
                  >
                    <title>{`${label} · ${s.label}: ${value.toLocaleString(numberLocale())}`}</title>
                  </rect>
                );
              })}
              {bucket % labelEvery === 0 && (
                <text
                  x={x0 + (barWidth * series.length) / 2}
                  y={HEIGHT - 8}
                  textAnchor="middle"
                  fontSize="11"
                  fill="#616161"
                >
                  {shortDate(label)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <table style={VISUALLY_HIDDEN}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{bucketHeading}</th>
            {series.map((s) => (
              <th scope="col" key={s.key}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((label, bucket) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {series.map((s, index) => (
                <td key={s.key}>{(values[bucket]?.[index] ?? 0).toLocaleString(numberLocale())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </BlockStack>
  );
}

/** Horizontal bars with their labels and values in text: a list, so it reads well without the bars. */
export function HorizontalBars({
  title,
  rows,
  color,
}: {
  title: string;
  rows: { label: string; value: number }[];
  color: string;
}) {
  const total = rows.reduce((sum, row) => sum + row.value, 0);
  const max = Math.max(1, ...rows.map((row) => row.value));
  return (
    <ul aria-label={title} style={{ listStyle: "none", margin: 0, padding: 0 }}>
      {rows.map((row) => {
        const share = total > 0 ? Math.round((row.value / total) * 100) : 0;
        return (
          <li key={row.label} style={{ marginBottom: 12 }}>
            <InlineStack align="space-between" gap="200">
              <Text as="span">{row.label}</Text>
              <Text as="span" numeric>
                {`${row.value.toLocaleString(numberLocale())} (${share}%)`}
              </Text>
            </InlineStack>
            <div aria-hidden style={{ background: "#f1f1f1", borderRadius: 4, height: 10 }}>
              <div
                style={{
                  width: `${(row.value / max) * 100}%`,
                  background: color,
                  borderRadius: 4,
                  height: 10,
                }}
              />
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** The smallest 1/2/5 × 10ⁿ at or above `value`, so axis ticks are round numbers. */
export function niceMax(value: number): number {
  if (value <= 0) return 0;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function compact(value: number) {
  return new Intl.NumberFormat(numberLocale(), {
    notation: "compact",
    maximumFractionDigits: 1,
  }).format(value);
}

/** "2026-11-03" → "Nov 3" (fixed locale and no time zone, so server and browser agree). */
function shortDate(iso: string) {
  const [, month, day] = iso.split("-").map(Number);
  const months = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
  ];
  return `${months[(month ?? 1) - 1]} ${day}`;
}
