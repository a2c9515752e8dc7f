import type { z } from "zod";
import { hasMessage, t as renderedT, type Translate } from "~/lib/i18n";

/** Field path → message, e.g. { "tiers.1.threshold": "…" }; the first issue of a path wins. */
export type FieldErrors = Record<string, string>;

export function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/**
 * zod's issues as merchant copy keyed by field path (the same on the client and the server), in
 * the language of `t`: the page's, or the request's on the server. No validator text reaches the
 * screen: a schema's own message is a copy key, and zod's defaults become copy.
 */
export function fieldErrorsOf(
  issues: readonly z.core.$ZodIssue[],
  t: Translate = renderedT,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = pathKey(issue.path);
    if (!(key in errors)) errors[key] = messageOf(issue, t);
  }
  return errors;
}

function messageOf(issue: z.core.$ZodIssue, t: Translate): string {
  // A schema that names its own message names a copy key (its values in a custom issue's params).
  if (isCopyKey(issue.message) && hasMessage(issue.message)) {
    return t(issue.message, issue.code === "custom" ? copyValues(issue.params) : undefined);
  }
  const count = (n: number | bigint) => Number(n).toLocaleString(localeOf(t));
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "number" || issue.expected === "int"
        ? t("settings.field.enterNumber")
        : t("settings.field.required");
    case "too_small":
      if (issue.origin === "string") {
        return Number(issue.minimum) <= 1
          ? t("settings.field.required")
          : t("settings.field.atLeastCharacters", { minimum: count(issue.minimum) });
      }
      if (issue.origin === "array") return t("settings.field.chooseOne");
      return t("settings.field.atLeast", { minimum: count(issue.minimum) });
    case "too_big":
      if (issue.origin === "string") {
        return t("settings.field.atMostCharacters", { maximum: count(issue.maximum) });
      }
      if (issue.origin === "array") {
        return t("settings.field.atMostChoices", { maximum: count(issue.maximum) });
      }
      return t("settings.field.atMost", { maximum: count(issue.maximum) });
    case "not_multiple_of":
      return t("settings.field.wholeNumber");
    default:
      return t("settings.field.invalid");
  }
}

function copyValues(params: Record<string, unknown> | undefined) {
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === "string" || typeof value === "number") values[name] = value;
  }
  return values;
}

/** zod writes its default messages as sentences; copy keys are dotted identifiers. */
function isCopyKey(message: string): boolean {
  return /^[a-z][\w-]*(\.[\w-]+)+$/i.test(message);
}

/** The language `t` speaks, for numbers in its messages ("1,000" or "1 000"). */
function localeOf(t: Translate): string {
  return t("locale.tag");
}

/** Validates with a zod schema: the parsed value, or the field errors. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { ok: true; value: z.output<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: fieldErrorsOf(parsed.error.issues) };
}

/** Errors under a prefix with the prefix removed (a row of the tier table, a nested object). */
export function errorsUnder(errors: FieldErrors, prefix: string): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    if (key === prefix) out[""] = message;
    else if (key.startsWith(`${prefix}.`)) out[key.slice(prefix.length + 1)] = message;
  }
  return out;
}
