import { useNavigate } from "@remix-run/react";
import { useEffect, useMemo } from "react";
import { RewardDefinitionSchema, type RewardDefinition, type RewardKind } from "~/domain/rewards";
import { t } from "~/lib/i18n";
import { RewardForm, type TierChoice } from "./RewardForm";
import { rewardTemplate } from "./reward-templates";
import { SettingsShell } from "./SettingsShell";
import { useFormPage } from "./use-form-page";

type Props = {
  rewards: RewardDefinition[];
  currency: string;
  /** The program's tiers, which a reward can be limited to. */
  tiers: TierChoice[];
} & ({ kind: RewardKind; reward?: undefined } | { reward: RewardDefinition; kind?: undefined });

/** Create or edit one reward; after a create the page moves on to editing it. */
export function RewardEditor(props: Props) {
  const creating = props.reward === undefined;
  const start = useMemo(
    () =>
      props.reward ??
      rewardTemplate(
        props.kind!,
        props.rewards.map((r) => r.handle),
      ),
    // The template is fixed for the editor's life (its key changes with the kind).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const form = useFormPage(RewardDefinitionSchema, start, {
    intent: creating ? "create" : "edit",
    ...(props.reward ? { original: props.reward.handle } : {}),
  });
  const navigate = useNavigate();
  const handle = String((form.draft as { handle?: unknown }).handle ?? "");
  const created = creating && form.result?.ok === true;
  useEffect(() => {
    if (created)
      navigate(`/app/settings/rewards?edit=${encodeURIComponent(handle)}`, { replace: true });
  }, [created, handle, navigate]);
  return (
    <SettingsShell
      title={
        creating
          ? t("settings.rewards.newTitle")
          : t("settings.rewards.editTitle", { name: props.reward!.name })
      }
      description={t("settings.rewards.editDescription")}
      backUrl="/app/settings/rewards"
      // A new reward is unsaved from the first moment: the save bar offers to save the template
      // as it is, and discarding leaves for the list.
      dirty={form.dirty || (creating && !created)}
      neverSaved={creating && !created}
      busy={form.busy}
      onSave={form.onSave}
      onDiscard={creating ? () => navigate("/app/settings/rewards") : form.onDiscard}
      saveErrors={form.saveErrors}
      saved={form.savedMessage}
    >
      <RewardForm form={form} currency={props.currency} creating={creating} tiers={props.tiers} />
    </SettingsShell>
  );
}
