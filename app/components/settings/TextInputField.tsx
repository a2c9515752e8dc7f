import { TextField } from "@shopify/polaris";
import { getAt, type FieldForm } from "./fields";

export function TextInputField(props: {
  form: FieldForm;
  path: string;
  label: string;
  helpText?: string;
  disabled?: boolean;
  /** Lines shown for longer text (e.g. a custom reward's instructions). */
  multiline?: number;
  maxLength?: number;
}) {
  return (
    <TextField
      label={props.label}
      helpText={props.helpText}
      value={String(getAt(props.form.draft, props.path) ?? "")}
      onChange={(value) => props.form.set(props.path, value)}
      error={props.form.errors[props.path]}
      disabled={props.disabled}
      multiline={props.multiline}
      maxLength={props.maxLength}
      showCharacterCount={props.maxLength !== undefined}
      autoComplete="off"
    />
  );
}
