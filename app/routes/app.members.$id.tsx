import { adminShop } from "~/lib/settings/route.server";
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, InlineGrid, Layout, Page } from "@shopify/polaris";
import { Figure, LedgerCard, signed, TierCard } from "~/components/member-cards";
import { AdjustPointsCard, BirthdayCard, RedeemCard } from "~/components/member-forms";
import { MemberRewardsCard } from "~/components/member-rewards";
import { StoreCreditCard } from "~/components/member-store-credit";
import { MemberStatusBadge } from "~/components/member-status-badge";
import { numbersIn, t, tMaybe, type MessageKey } from "~/lib/i18n";
import { MEMBER_FORM_INTENTS, MemberForm, type MemberFormIntent } from "~/lib/member-forms";
import { LoyaltyError } from "~/services/errors";
import { applyMemberForm } from "~/services/members/admin-form.server";
import { memberProfile } from "~/services/members/profile.server";
import { memberRewards } from "~/services/members/rewards.server";
import { formatMoney } from "~/domain/klaviyo";
import { listRewards } from "~/services/rewards/catalog.server";

/** How long staff wait on Shopify for a reward's code before the answer is "try again". */
const ADMIN_SHOPIFY_TIMEOUT_MS = 10_000;

function notFoundFor(error: unknown): never {
  if (error instanceof LoyaltyError && error.code === "member_not_found") {
    throw new Response(error.message, { status: 404 });
  }
  throw error;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shopId, t } = await adminShop(request);
  const before = new URL(request.url).searchParams.get("before") ?? undefined;
  const profile = await memberProfile(shopId, params.id ?? "", before, new Date()).catch(
    notFoundFor,
  );
  const rewards = (await listRewards(shopId, { enabledOnly: true })).map(({ definition }) => ({
    handle: definition.handle,
    name: definition.name,
    pointsCost: "pointsCost" in definition ? definition.pointsCost : null,
    variable:
      definition.type === "pay_with_points"
        ? { min: definition.minPoints, max: definition.maxPoints, step: definition.pointsPerStep }
        : null,
  }));
  const issued = await memberRewards(shopId, profile.member.id);
  // Written here in the staff member's language, so server and browser show the same text.
  const { storeCredit } = profile.member;
  const storeCreditBalance = storeCredit
    ? formatMoney(storeCredit.balanceMinor, storeCredit.currency, t("locale.tag"))
    : null;
  // A fresh token per rendered page: the forms' idempotency key (a double submit posts once).
  return { ...profile, rewards, issued, storeCreditBalance, formToken: randomUUID() };
};

export type MemberActionResult =
  | { ok: true; intent: MemberFormIntent; message: string }
  | { ok: false; intent: MemberFormIntent | null; errors: Record<string, string> };

/** Which field a service's error belongs next to, per form. */
const ERROR_FIELD: Record<MemberFormIntent, Partial<Record<LoyaltyError["code"], string>>> = {
  adjust: { insufficient_points: "points", invalid_input: "points" },
  tier: { unknown_tier: "tier", invalid_input: "lockUntil" },
  birthday: { invalid_input: "day" },
  redeem: {
    reward_not_found: "reward",
    reward_unavailable: "reward",
    insufficient_points: "reward",
    invalid_input: "points",
  },
  void: {},
  fulfil: {},
  storeCredit: { invalid_input: "amount" },
};

/** The redemption's refusals in the staff member's words (the services' text is the shopper's). */
const REDEEM_ERRORS: Partial<Record<LoyaltyError["code"], MessageKey>> = {
  reward_not_found: "member.redeem.error.reward_not_found",
  reward_unavailable: "member.redeem.error.reward_unavailable",
  insufficient_points: "member.redeem.error.insufficient_points",
  reward_rejected: "member.redeem.error.reward_rejected",
  shopify_unavailable: "member.redeem.error.shopify_unavailable",
  redemption_in_progress: "member.redeem.error.redemption_in_progress",
};

/** Why points could not be taken, in the staff member's words (Flow and POS have their own). */
const ADJUST_ERRORS: Partial<Record<LoyaltyError["code"], MessageKey>> = {
  insufficient_points: "member.adjust.error.insufficient_points",
};

/** Why a reward could not be voided, in the staff member's words. */
const VOID_ERRORS: Partial<Record<LoyaltyError["code"], MessageKey>> = {
  reward_not_found: "member.void.error.notFound",
  invalid_input: "member.void.error.notVoidable",
  shopify_unavailable: "member.void.error.shopify",
};

/** Why a custom reward could not be marked fulfilled, in the staff member's words. */
const FULFIL_ERRORS: Partial<Record<LoyaltyError["code"], MessageKey>> = {
  reward_not_found: "member.void.error.notFound",
  invalid_input: "member.fulfil.error.notFulfillable",
};

/** The staff-language copy of a service's refusal, for the forms that have one. */
const STAFF_ERRORS: Partial<Record<MemberFormIntent, typeof REDEEM_ERRORS>> = {
  adjust: ADJUST_ERRORS,
  redeem: REDEEM_ERRORS,
  void: VOID_ERRORS,
  fulfil: FULFIL_ERRORS,
};

export const action = async ({
  request,
  params,
}: ActionFunctionArgs): Promise<MemberActionResult> => {
  const { shopId, t, admin } = await adminShop(request);
  const raw = Object.fromEntries(await request.formData());
  const parsed = MemberForm.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      errors[String(issue.path[0] ?? "form")] ??= tMaybe(issue.message, t);
    }
    // The errors belong to the form that was sent (two forms both have a "note").
    const intent = MEMBER_FORM_INTENTS.find((name) => name === raw.intent) ?? null;
    return { ok: false, intent, errors };
  }
  const form = parsed.data;
  try {
    const result = await applyMemberForm(shopId, params.id ?? "", form, {
      admin,
      timeoutMs: ADMIN_SHOPIFY_TIMEOUT_MS,
    });
    switch (result.outcome) {
      case "redeemed": {
        const { issued } = result;
        const values = {
          name: issued.rewardName,
          points: issued.pointsSpent,
          code: issued.code ?? "",
        };
        return {
          ok: true,
          intent: form.intent,
          message: t(issued.code ? "member.done.redeemed" : "member.done.redeemedNoCode", values),
        };
      }
      case "adjusted":
        return {
          ok: true,
          intent: form.intent,
          message: t("member.done.adjusted", { points: signed(result.points) }),
        };
      case "creditSent":
      case "debitSent":
        return {
          ok: true,
          intent: form.intent,
          message: t(`member.done.${result.outcome}`, {
            amount: formatMoney(result.amountMinor, result.currency, t("locale.tag")),
          }),
        };
      case "voided":
        return {
          ok: true,
          intent: form.intent,
          message: t("member.done.voided", { points: result.pointsReturned }),
        };
      case "tierSet":
        return {
          ok: true,
          intent: form.intent,
          message: result.tier
            ? t("member.done.tierSet", { tier: result.tier })
            : t("member.done.tierCleared"),
        };
      default:
        return { ok: true, intent: form.intent, message: t(`member.done.${result.outcome}`) };
    }
  } catch (error) {
    if (!(error instanceof LoyaltyError)) throw error;
    const field = ERROR_FIELD[form.intent][error.code] ?? "form";
    const staffKey = STAFF_ERRORS[form.intent]?.[error.code];
    const message =
      error.code === "member_not_found"
        ? t("members.errors.member_not_found")
        : staffKey
          ? t(staffKey, numbersIn(error.params, t))
          : tMaybe(error.message, t, numbersIn(error.params, t));
    return { ok: false, intent: form.intent, errors: { [field]: message } };
  }
};

export default function MemberPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { member } = data;
  const title = member.name ?? t("members.unnamed", { id: member.customerId });
  const errorsFor = (intent: MemberFormIntent) =>
    result && !result.ok && (result.intent === intent || result.intent === null)
      ? result.errors
      : {};
  return (
    <Page
      title={title}
      subtitle={member.email ?? undefined}
      titleMetadata={<MemberStatusBadge status={member.status} />}
      backAction={{ content: t("member.back"), url: "/app/members" }}
    >
      <TitleBar title={title} />
      <Layout>
        {result?.ok ? (
          <Layout.Section>
            <Banner tone="success">{result.message}</Banner>
          </Layout.Section>
        ) : null}
        {result && !result.ok && result.errors.form ? (
          <Layout.Section>
            <Banner tone="critical">{result.errors.form}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Figure label={t("member.balance")} value={member.pointsBalance} />
            <Figure label={t("member.held")} value={member.pendingPoints} />
            <Figure label={t("member.available")} value={member.availablePoints} />
            <Figure label={t("member.lifetimeEarned")} value={member.lifetimeEarned} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            <LedgerCard ledger={data.ledger} />
            <MemberRewardsCard rewards={data.issued} busy={busy} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <AdjustPointsCard
              // Cleared once an adjustment posted (a new newest entry), kept after an error.
              key={data.ledger.entries[0]?.id ?? "none"}
              formToken={data.formToken}
              busy={busy}
              errors={errorsFor("adjust")}
            />
            <RedeemCard
              key={`redeem-${data.formToken}`}
              rewards={data.rewards}
              formToken={data.formToken}
              busy={busy}
              errors={errorsFor("redeem")}
            />
            <TierCard
              tier={data.tier}
              tiers={data.tiers}
              currency={data.currency}
              busy={busy}
              errors={errorsFor("tier")}
            />
            <BirthdayCard birthday={member.birthday} busy={busy} errors={errorsFor("birthday")} />
            <StoreCreditCard
              // Emptied after a credit was sent (a new page token), kept as typed after an error.
              key={
                result?.ok && result.intent === "storeCredit"
                  ? `credit-${data.formToken}`
                  : "credit"
              }
              formToken={data.formToken}
              currency={data.currency}
              balance={data.storeCreditBalance}
              busy={busy}
              errors={errorsFor("storeCredit")}
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
