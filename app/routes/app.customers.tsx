import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { parseCustomerId } from "~/domain/customers/customer-id";
import { t, type MessageKey } from "~/lib/i18n";
import { adminShop } from "~/lib/settings/route.server";
import { LoyaltyError } from "~/services/errors";
import { memberIdForCustomer } from "~/services/members/customer-link.server";

/** Why a customer's loyalty cannot be shown, in the staff member's words. */
const PROBLEMS: Partial<Record<LoyaltyError["code"], MessageKey>> = {
  member_not_found: "customerLink.notFound",
  shopify_unavailable: "customerLink.shopifyUnavailable",
};

/**
 * /app/customers?id=<customer id>: where "Loyalty: view points and rewards" on Shopify admin's
 * customer page lands (extension loyalty-admin-link, ADR 0066). Opens that customer's member page;
 * a customer from before the install joins first. A link that names no customer, or one Shopify
 * does not know, gets a page that says so and leads to Members, never an error page.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId, admin, redirect } = await adminShop(request);
  const customerId = parseCustomerId(new URL(request.url).searchParams.get("id"));
  if (customerId === null) return { problem: "customerLink.noCustomer" as MessageKey };
  try {
    const memberId = await memberIdForCustomer(shopId, customerId, admin);
    return redirect(`/app/members/${memberId}`);
  } catch (error) {
    const problem = error instanceof LoyaltyError ? PROBLEMS[error.code] : undefined;
    if (!problem) throw error;
    return { problem };
  }
};

export default function CustomerLinkPage() {
  const { problem } = useLoaderData<typeof loader>();
  const title = t("customerLink.title");
  return (
    <Page title={title} backAction={{ content: t("member.back"), url: "/app/members" }}>
      <TitleBar title={title} />
      <Layout>
        <Layout.Section>
          <Banner tone="warning" action={{ content: t("member.back"), url: "/app/members" }}>
            {t(problem)}
          </Banner>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
