import { useActionData, useNavigation, useSubmit } from "@remix-run/react";
import { useState } from "react";
import type { z } from "zod";
import type { FieldErrors } from "~/lib/settings/field-errors";
import type { FormResult } from "~/services/program/catalog-settings.server";
import { useDraft } from "./use-draft";

/**
 * The save/discard/errors wiring of a settings form that is not part of the program config
 * (referrals, a reward): the draft is checked with the domain's zod schema before it is sent,
 * and the server's field errors (it validates again) are shown on the same fields.
 */
export function useFormPage<S extends z.ZodType>(
  schema: S,
  saved: unknown,
  extra: Record<string, string> = {},
) {
  const form = useDraft(schema, saved);
  const result = useActionData<FormResult>();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [attempted, setAttempted] = useState(false);
  // The server's errors stay until the merchant discards; a successful save ends the attempt.
  const [dismissed, setDismissed] = useState<FormResult | undefined>(undefined);
  const [seen, setSeen] = useState<FormResult | undefined>(undefined);
  if (seen !== result) {
    setSeen(result);
    if (result?.ok) setAttempted(false);
  }
  const serverErrors: FieldErrors | null =
    result && !result.ok && dismissed !== result ? result.errors : null;
  const clientErrors = attempted || form.dirty ? form.errors : {};
  const errors = { ...(serverErrors ?? {}), ...clientErrors };
  return {
    ...form,
    errors,
    busy,
    result,
    saveErrors: (attempted && !form.valid) || serverErrors ? errors : null,
    savedMessage: result?.ok && !form.dirty ? result.message : null,
    onSave: () => {
      setAttempted(true);
      if (!form.valid) return;
      submit({ ...extra, draft: JSON.stringify(form.draft) }, { method: "post" });
    },
    onDiscard: () => {
      setAttempted(false);
      setDismissed(result);
      form.discard();
    },
  };
}
