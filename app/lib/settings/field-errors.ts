import type { z } from "zod";
import { t } from "~/lib/i18n";

/** Field path → message, e.g. { "tiers.1.threshold": "…" }; the first issue of a path wins. */
export type FieldErrors = Record<string, string>;

export function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** zod's issues as merchant copy keyed by field path (the same on the client and the server). */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = pathKey(issue.path);
    if (!(key in errors)) errors[key] = messageOf(issue);
  }
  return errors;
}

function messageOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "number" || issue.expected === "int"
        ? t("settings.field.enterNumber")
        : t("settings.field.required");
    case "too_small":
      return issue.origin === "string" || issue.origin === "array"
        ? issue.message
        : t("settings.field.atLeast", { minimum: String(issue.minimum) });
    case "too_big":
      return issue.origin === "string" || issue.origin === "array"
        ? issue.message
        : t("settings.field.atMost", { maximum: String(issue.maximum) });
    default:
      return issue.message;
  }
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
