import { Checkbox, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { FieldErrors } from "~/lib/settings/field-errors";
import { formatMinor, parseMinor, parseNumber } from "./money";

/** What a field needs from the page's draft: read, write and the errors by dotted path. */
export interface FieldForm {
  draft: unknown;
  set: (path: string, value: unknown) => void;
  errors: FieldErrors;
}

export function getAt(target: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) =>
        node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined,
      target,
    );
}

interface Base {
  form: FieldForm;
  path: string;
  label: string;
  helpText?: string;
}

/** What an emptied optional field stores: null (nullable schema) or no key (optional schema). */
type Empty = "null" | "absent";
const emptyValue = (empty: Empty) => (empty === "null" ? null : undefined);

export function NumberField(props: Base & { suffix?: string; empty?: Empty }) {
  const value = getAt(props.form.draft, props.path);
  const { empty } = props;
  return (
    <TextField
      label={props.label}
      helpText={props.helpText}
      value={value === undefined || value === null ? "" : String(value)}
      onChange={(text) =>
        props.form.set(
          props.path,
          empty && text.trim() === "" ? emptyValue(empty) : parseNumber(text),
        )
      }
      error={props.form.errors[props.path]}
      suffix={props.suffix}
      inputMode="decimal"
      autoComplete="off"
    />
  );
}

/** Minor units in the draft, the currency's decimal on screen. */
export function MoneyField(props: Base & { currency: string; empty?: Empty }) {
  const value = getAt(props.form.draft, props.path);
  return (
    <TextField
      label={props.label}
      helpText={props.helpText}
      value={typeof value === "number" ? formatMinor(value, props.currency) : String(value ?? "")}
      onChange={(text) =>
        props.form.set(
          props.path,
          props.empty && text.trim() === ""
            ? emptyValue(props.empty)
            : parseMinor(text, props.currency),
        )
      }
      error={props.form.errors[props.path]}
      suffix={props.currency}
      inputMode="decimal"
      autoComplete="off"
    />
  );
}

export function CheckboxField(props: Base) {
  return (
    <Checkbox
      label={props.label}
      helpText={props.helpText}
      checked={getAt(props.form.draft, props.path) === true}
      onChange={(checked) => props.form.set(props.path, checked)}
      error={props.form.errors[props.path]}
    />
  );
}

export function SelectField(props: Base & { options: { label: string; value: string }[] }) {
  return (
    <Select
      label={props.label}
      helpText={props.helpText}
      options={props.options}
      value={String(getAt(props.form.draft, props.path) ?? "")}
      onChange={(value) => props.form.set(props.path, value)}
      error={props.form.errors[props.path]}
    />
  );
}

/** A list of ids, one per line. */
export function LinesField(props: Base) {
  const value = getAt(props.form.draft, props.path);
  const joined = Array.isArray(value) ? value.join("\n") : "";
  // The typed text is kept as is (a new empty line while typing), the draft gets the ids.
  const [text, setText] = useState(joined);
  if (toLines(text).join("\n") !== joined) setText(joined);
  const firstItemError = Object.entries(props.form.errors).find(([key]) =>
    key.startsWith(`${props.path}.`),
  )?.[1];
  return (
    <TextField
      label={props.label}
      helpText={props.helpText}
      value={text}
      multiline={3}
      onChange={(typed) => {
        setText(typed);
        props.form.set(props.path, toLines(typed));
      }}
      error={props.form.errors[props.path] ?? firstItemError}
      autoComplete="off"
    />
  );
}

const toLines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
