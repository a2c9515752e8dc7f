import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormLayout } from "@shopify/polaris";
import { NumberField } from "~/components/settings/fields";
import { ProgramSectionPage } from "~/components/settings/ProgramSectionPage";
import { t } from "~/lib/i18n";
import { programSectionAction, programSectionLoader } from "~/lib/settings/route.server";

export const loader = ({ request }: LoaderFunctionArgs) => programSectionLoader(request);
export const action = ({ request }: ActionFunctionArgs) => programSectionAction(request, "bonuses");

export default function BonusSettings() {
  return (
    <ProgramSectionPage
      section="bonuses"
      title={t("settings.bonuses.title")}
      description={t("settings.bonuses.description")}
    >
      {(form) => (
        <FormLayout>
          <NumberField
            form={form}
            path="bonuses.welcomePoints"
            label={t("settings.bonuses.welcome")}
            helpText={t("settings.bonuses.welcomeHelp")}
            suffix={t("settings.points")}
          />
          <NumberField
            form={form}
            path="bonuses.birthdayPoints"
            label={t("settings.bonuses.birthday")}
            helpText={t("settings.bonuses.birthdayHelp")}
            suffix={t("settings.points")}
          />
          <NumberField
            form={form}
            path="bonuses.anniversaryPoints"
            label={t("settings.bonuses.anniversary")}
            helpText={t("settings.bonuses.anniversaryHelp")}
            suffix={t("settings.points")}
          />
        </FormLayout>
      )}
    </ProgramSectionPage>
  );
}
