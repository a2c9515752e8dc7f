import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, InlineGrid, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { numberLocale, t, type MessageKey } from "~/lib/i18n";

type FormProps = { busy: boolean; errors: Record<string, string> };

/** Manual credit or debit with a required note; formToken makes a resubmission post once. */
export function AdjustPointsCard({ formToken, busy, errors }: FormProps & { formToken: string }) {
  const [points, setPoints] = useState("");
  const [note, setNote] = useState("");
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="adjust" />
        <input type="hidden" name="formToken" value={formToken} />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("member.adjust.heading")}
          </Text>
          <TextField
            label={t("member.adjust.points")}
            name="points"
            // Text, not number: "1,000" and "−50" as typed are read as meant (and a browser's
            // number field would hand over nothing for them).
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={points}
            onChange={setPoints}
            error={errors.points}
          />
          <TextField
            label={t("member.adjust.note")}
            name="note"
            autoComplete="off"
            multiline={2}
            value={note}
            onChange={setNote}
            helpText={t("member.adjust.noteHelp")}
            error={errors.note ?? errors.formToken}
          />
          <Button submit variant="primary" loading={busy}>
            {t("member.adjust.submit")}
          </Button>
        </BlockStack>
      </Form>
    </Card>
  );
}

/** Manual tier (or none), optionally locked through a shop-local date. */
export function SetTierForm(
  props: FormProps & { current: string | null; tiers: { id: string; name: string }[] },
) {
  const [tier, setTier] = useState(props.current ?? "");
  const [lockUntil, setLockUntil] = useState("");
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="tier" />
      <BlockStack gap="200">
        <Select
          label={t("member.tier.select")}
          name="tier"
          options={[
            { label: t("member.tier.none"), value: "" },
            ...props.tiers.map((option) => ({ label: option.name, value: option.id })),
          ]}
          value={tier}
          onChange={setTier}
          error={props.errors.tier}
        />
        <TextField
          label={t("member.tier.lockUntil")}
          name="lockUntil"
          type="date"
          autoComplete="off"
          value={lockUntil}
          onChange={setLockUntil}
          error={props.errors.lockUntil}
        />
        <Button submit loading={props.busy}>
          {t("member.tier.submit")}
        </Button>
      </BlockStack>
    </Form>
  );
}

const MONTHS = Array.from({ length: 12 }, (_, index) => ({
  label: t(`month.${index + 1}` as MessageKey),
  value: String(index + 1),
}));

export function BirthdayCard(
  props: FormProps & {
    birthday: { month: number; day: number | null; year: number | null } | null;
  },
) {
  const { birthday, errors } = props;
  const [month, setMonth] = useState(birthday ? String(birthday.month) : "");
  const [dayOfMonth, setDayOfMonth] = useState(birthday?.day ? String(birthday.day) : "");
  const [year, setYear] = useState(birthday?.year ? String(birthday.year) : "");
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="birthday" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("member.birthday.heading")}
          </Text>
          {birthday ? null : (
            <Text as="p" tone="subdued">
              {t("member.birthday.none")}
            </Text>
          )}
          <InlineGrid columns={3} gap="200">
            <Select
              label={t("member.birthday.month")}
              name="month"
              options={[{ label: "", value: "" }, ...MONTHS]}
              value={month}
              onChange={setMonth}
              error={errors.month}
            />
            <TextField
              label={t("member.birthday.day")}
              name="day"
              type="number"
              autoComplete="off"
              value={dayOfMonth}
              onChange={setDayOfMonth}
              error={errors.day}
            />
            <TextField
              label={t("member.birthday.year")}
              name="year"
              type="number"
              autoComplete="off"
              value={year}
              onChange={setYear}
              error={errors.year}
            />
          </InlineGrid>
          <Button submit loading={props.busy}>
            {t("member.birthday.submit")}
          </Button>
        </BlockStack>
      </Form>
    </Card>
  );
}

export type RedeemableReward = {
  handle: string;
  name: string;
  pointsCost: number | null;
  /** Pay with points: the staff member chooses how many points, within these bounds. */
  variable: { min: number; max: number | null; step: number } | null;
};

/**
 * Redeems a reward for the member (a customer at the counter, a support request), through the
 * same all-or-nothing redemption as the storefront: the points are spent only if Shopify created
 * the code. formToken makes a resubmission redeem once.
 */
export function RedeemCard({
  rewards,
  formToken,
  busy,
  errors,
}: FormProps & { rewards: RedeemableReward[]; formToken: string }) {
  const [handle, setHandle] = useState(rewards[0]?.handle ?? "");
  const [points, setPoints] = useState("");
  const chosen = rewards.find((reward) => reward.handle === handle);
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="redeem" />
        <input type="hidden" name="formToken" value={formToken} />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("member.redeem.heading")}
          </Text>
          {rewards.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("member.redeem.none")}
            </Text>
          ) : (
            <>
              <Select
                label={t("member.redeem.reward")}
                name="reward"
                options={rewards.map((reward) => ({
                  value: reward.handle,
                  label:
                    reward.pointsCost === null
                      ? reward.name
                      : t("member.redeem.option", {
                          name: reward.name,
                          points: reward.pointsCost.toLocaleString(numberLocale()),
                        }),
                }))}
                value={handle}
                onChange={setHandle}
                error={errors.reward}
              />
              {chosen?.variable ? (
                <TextField
                  label={t("member.redeem.points")}
                  name="points"
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  value={points}
                  onChange={setPoints}
                  helpText={t("member.redeem.pointsHelp", {
                    min: chosen.variable.min,
                    step: chosen.variable.step,
                  })}
                  error={errors.points}
                />
              ) : null}
              <Button submit loading={busy}>
                {t("member.redeem.submit")}
              </Button>
            </>
          )}
        </BlockStack>
      </Form>
    </Card>
  );
}
