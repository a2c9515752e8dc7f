// The member's birthday on the Rewards page: shown once set (changed at the shop's say only, as
// on the storefront), otherwise a month and day to enter, for the birthday reward.
import { useState } from "preact/hooks";
import { AccountApiError, callApp } from "../../../storefront/account/api";
import type { AccountMember } from "../../../storefront/account/types";

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
// A leap year, so 29 February can be shown and chosen.
const onDay = (month: number, day: number) => new Date(Date.UTC(2000, month - 1, day, 12));

/** The field's value after a change (the event is typed loosely for these elements). */
const valueOf = (event: Event) => (event.currentTarget as { value?: string } | null)?.value ?? "";

export function BirthdaySection(props: {
  birthday: AccountMember["birthday"];
  onSaved: () => void;
}) {
  const t = shopify.i18n.translate;
  const [month, setMonth] = useState("");
  const [day, setDay] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { birthday } = props;
  if (birthday) {
    const shown = birthday.day
      ? shopify.i18n.formatDate(onDay(birthday.month, birthday.day), {
          month: "long",
          day: "numeric",
          timeZone: "UTC",
        })
      : shopify.i18n.formatDate(onDay(birthday.month, 1), { month: "long", timeZone: "UTC" });
    return (
      <s-section heading={t("birthdayHeading")}>
        <s-text>{t("birthdaySet", { date: shown })}</s-text>
      </s-section>
    );
  }
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await callApp(shopify.sessionToken, "/customer-account/birthday", {
        month: Number(month),
        day: Number(day),
      });
      props.onSaved();
    } catch (failure) {
      setError(failure instanceof AccountApiError ? failure.message : t("unavailable"));
    } finally {
      setSaving(false);
    }
  };
  return (
    <s-section heading={t("birthdayHeading")}>
      <s-stack direction="block" gap="base">
        <s-text>{t("birthdayAsk")}</s-text>
        {error && <s-banner tone="critical">{error}</s-banner>}
        <s-stack direction="inline" gap="base">
          <s-select
            label={t("birthdayMonth")}
            value={month}
            onChange={(event) => setMonth(valueOf(event))}
          >
            {MONTHS.map((m) => (
              <s-option key={m} value={String(m)}>
                {shopify.i18n.formatDate(onDay(m, 1), { month: "long", timeZone: "UTC" })}
              </s-option>
            ))}
          </s-select>
          <s-number-field
            label={t("birthdayDay")}
            min={1}
            max={31}
            value={day}
            onChange={(event) => setDay(valueOf(event))}
          />
        </s-stack>
        <s-button loading={saving} disabled={!month || !day} onClick={() => void save()}>
          {t("birthdaySave")}
        </s-button>
      </s-stack>
    </s-section>
  );
}
