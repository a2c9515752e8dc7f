import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FormLayout } from "@shopify/polaris";
import { CheckboxField, MoneyField, NumberField } from "~/components/settings/fields";
import { ProgramSectionPage } from "~/components/settings/ProgramSectionPage";
import { t } from "~/lib/i18n";
import { programSectionAction, programSectionLoader } from "~/lib/settings/route.server";

export const loader = ({ request }: LoaderFunctionArgs) => programSectionLoader(request);
export const action = ({ request }: ActionFunctionArgs) =>
  programSectionAction(request, "storeCredit");

export default function StoreCreditSettings() {
  return (
    <ProgramSectionPage
      section="storeCredit"
      title={t("settings.storeCredit.title")}
      description={t("settings.storeCredit.description")}
    >
      {(form) => (
        <FormLayout>
          <CheckboxField
            form={form}
            path="storeCredit.enabled"
            label={t("settings.storeCredit.enabled")}
            helpText={t("settings.storeCredit.enabledHelp")}
          />
          <NumberField
            form={form}
            path="storeCredit.cashbackBasisPoints"
            label={t("settings.storeCredit.rate")}
            helpText={t("settings.storeCredit.rateHelp")}
            suffix={t("settings.storeCredit.rateSuffix")}
          />
          <MoneyField
            form={form}
            path="storeCredit.minOrderMinor"
            label={t("settings.storeCredit.minOrder")}
            helpText={t("settings.storeCredit.minOrderHelp")}
            currency={form.data.currency}
          />
          <NumberField
            form={form}
            path="storeCredit.expiryDays"
            label={t("settings.storeCredit.expiry")}
            helpText={t("settings.storeCredit.expiryHelp")}
            suffix={t("settings.days")}
          />
          <NumberField
            form={form}
            path="storeCredit.reminderDaysBefore"
            label={t("settings.storeCredit.reminder")}
            helpText={t("settings.storeCredit.reminderHelp")}
            suffix={t("settings.days")}
          />
        </FormLayout>
      )}
    </ProgramSectionPage>
  );
}
