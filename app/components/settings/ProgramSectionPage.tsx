import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useMemo, useState, type ReactNode } from "react";
import { describeConfigChange, ProgramConfigSchema, type ProgramConfig } from "~/domain/program";
import { t } from "~/lib/i18n";
import type { FieldErrors } from "~/lib/settings/field-errors";
import {
  pickSection,
  programSectionSchema,
  withSection,
  type ProgramSectionKey,
} from "~/lib/settings/program-sections";
import type { programSectionLoader } from "~/lib/settings/route.server";
import type { SaveSectionResult } from "~/services/program/settings.server";
import { RecomputeNotices } from "./RecomputeNotices";
import { SettingsShell } from "./SettingsShell";
import { SimulatorCard } from "./SimulatorCard";
import { useDraft, type Draft } from "./use-draft";

export type ProgramLoaderData = Awaited<ReturnType<typeof programSectionLoader>>;

interface Props {
  section: ProgramSectionKey;
  title: string;
  description: string;
  children: (form: Draft & { data: ProgramLoaderData }) => ReactNode;
}

/**
 * A page editing one section of the program config: the draft is validated live with the section
 * of ProgramConfigSchema, saving is blocked with inline errors while it is invalid, the server's
 * own errors are shown the same way, and the simulator runs over the saved config with the draft
 * in place.
 */
export function ProgramSectionPage({ section, title, description, children }: Props) {
  const data = useLoaderData<ProgramLoaderData>();
  const result = useActionData<SaveSectionResult>();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const schema = useMemo(() => programSectionSchema(section), [section]);
  const saved = data.config as ProgramConfig;
  const form = useDraft(schema, pickSection(saved, section));
  const [attempted, setAttempted] = useState(false);
  const [dismissed, setDismissed] = useState<SaveSectionResult | undefined>(undefined);
  const serverErrors: FieldErrors | null =
    result && !result.ok && dismissed !== result ? result.errors : null;

  const draftConfig = useMemo(() => {
    const parsed = ProgramConfigSchema.safeParse(
      withSection(saved, section, form.draft as Record<string, unknown>),
    );
    return parsed.success ? parsed.data : null;
  }, [saved, section, form.draft]);
  const recomputes = useMemo(() => {
    if (!draftConfig || !form.dirty) return false;
    const changed = describeConfigChange(saved, draftConfig);
    return changed.includes("tiers") || changed.includes("expiry");
  }, [saved, draftConfig, form.dirty]);

  const onSave = () => {
    setAttempted(true);
    if (!form.valid) return;
    submit({ draft: JSON.stringify(form.draft) }, { method: "post" });
  };
  const onDiscard = () => {
    setAttempted(false);
    setDismissed(result);
    form.discard();
  };
  const clientErrors = attempted || form.dirty ? form.errors : {};
  const errors = { ...(serverErrors ?? {}), ...clientErrors };
  const saveErrors =
    (attempted && !form.valid) || serverErrors
      ? { ...(serverErrors ?? {}), ...clientErrors }
      : null;
  const savedMessage =
    result?.ok && !form.dirty
      ? result.changed.length === 0
        ? t("settings.saved.unchanged")
        : t("settings.saved", { version: result.version })
      : null;

  return (
    <SettingsShell
      title={title}
      description={description}
      dirty={form.dirty}
      busy={busy}
      onSave={onSave}
      onDiscard={onDiscard}
      saveErrors={saveErrors}
      saved={savedMessage}
      notices={
        <RecomputeNotices
          preview={recomputes ? data.activeMembers : null}
          progress={data.recompute}
          now={data.now}
        />
      }
      aside={
        <SimulatorCard
          config={draftConfig}
          savedConfig={saved}
          dirty={form.dirty}
          currency={data.currency}
          timeZone={data.timeZone}
          now={data.now}
        />
      }
    >
      {children({ ...form, errors, data })}
    </SettingsShell>
  );
}
