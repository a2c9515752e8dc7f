import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ChoiceList, FormLayout } from "@shopify/polaris";
import { getAt, NumberField } from "~/components/settings/fields";
import { ProgramSectionPage } from "~/components/settings/ProgramSectionPage";
import { t } from "~/lib/i18n";
import { programSectionAction, programSectionLoader } from "~/lib/settings/route.server";

export const loader = ({ request }: LoaderFunctionArgs) => programSectionLoader(request);
export const action = ({ request }: ActionFunctionArgs) => programSectionAction(request, "expiry");

type Kind = "none" | "inactivity" | "per_lot";

export default function ExpirySettings() {
  return (
    <ProgramSectionPage
      section="expiry"
      title={t("settings.expiry.title")}
      description={t("settings.expiry.description")}
    >
      {(form) => {
        const kind = (getAt(form.draft, "expiry.kind") ?? "none") as Kind;
        const choose = (next: Kind) => {
          if (next === kind) return;
          const days = getAt(form.draft, "expiry.days") ?? 365;
          const reminderDaysBefore = getAt(form.draft, "expiry.reminderDaysBefore") ?? 0;
          form.set(
            "expiry",
            next === "none" ? { kind: next } : { kind: next, days, reminderDaysBefore },
          );
        };
        return (
          <FormLayout>
            <ChoiceList
              title={t("settings.expiry.kind")}
              choices={[
                { label: t("settings.expiry.none"), value: "none" },
                {
                  label: t("settings.expiry.inactivity"),
                  value: "inactivity",
                  helpText: t("settings.expiry.inactivityHelp"),
                },
                {
                  label: t("settings.expiry.perLot"),
                  value: "per_lot",
                  helpText: t("settings.expiry.perLotHelp"),
                },
              ]}
              selected={[kind]}
              onChange={(selected) => choose((selected[0] ?? "none") as Kind)}
            />
            {kind !== "none" ? (
              <FormLayout.Group>
                <NumberField
                  form={form}
                  path="expiry.days"
                  label={t("settings.expiry.days")}
                  suffix={t("settings.days")}
                />
                <NumberField
                  form={form}
                  path="expiry.reminderDaysBefore"
                  label={t("settings.expiry.reminder")}
                  helpText={t("settings.expiry.reminderHelp")}
                  suffix={t("settings.days")}
                />
              </FormLayout.Group>
            ) : null}
          </FormLayout>
        );
      }}
    </ProgramSectionPage>
  );
}
