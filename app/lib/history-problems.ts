import { hasMessage, t, type MessageKey, type Translate } from "./i18n";

/** The values a history import problem's copy needs (stored beside its English `detail`). */
export type HistoryProblemValues = Record<string, string | number>;

function flatValues(values: unknown): HistoryProblemValues | null {
  if (!values || typeof values !== "object" || Array.isArray(values)) return null;
  const entries = Object.entries(values);
  return entries.every(([, v]) => typeof v === "string" || typeof v === "number")
    ? (Object.fromEntries(entries) as HistoryProblemValues)
    : null;
}

/**
 * A history import problem in the staff member's language: the copy `history.problem.<kind>`
 * with the stored values; the stored English `detail` for a row written before values were kept.
 */
export function historyProblemText(
  problem: { kind: string; detail: string; values: unknown },
  translate: Translate = t,
): string {
  const values = flatValues(problem.values);
  const key = `history.problem.${problem.kind}${values?.variant ? `.${values.variant}` : ""}`;
  if (!values || !hasMessage(key)) return problem.detail;
  const who =
    typeof values.id === "number" || typeof values.id === "string"
      ? values.name
        ? translate("history.problem.customerNamed", { name: values.name, id: values.id })
        : translate("history.problem.customer", { id: values.id })
      : "";
  return translate(key as MessageKey, { ...values, who });
}
