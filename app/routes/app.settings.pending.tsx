import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormLayout } from "@shopify/polaris";
import { NumberField } from "~/components/settings/fields";
import { ProgramSectionPage } from "~/components/settings/ProgramSectionPage";
import { t } from "~/lib/i18n";
import { programSectionAction, programSectionLoader } from "~/lib/settings/route.server";

export const loader = ({ request }: LoaderFunctionArgs) => programSectionLoader(request);
export const action = ({ request }: ActionFunctionArgs) => programSectionAction(request, "pending");

export default function PendingSettings() {
  return (
    <ProgramSectionPage
      section="pending"
      title={t("settings.pending.title")}
      description={t("settings.pending.description")}
    >
      {(form) => (
        <FormLayout>
          <NumberField
            form={form}
            path="pending.days"
            label={t("settings.pending.days")}
            helpText={t("settings.pending.daysHelp")}
            suffix={t("settings.days")}
          />
        </FormLayout>
      )}
    </ProgramSectionPage>
  );
}
