/**
 * The first-run checklist on the admin home: each item is computed from the shop's real state
 * (passed in), with where to go to do it. Pure.
 */

/** The theme app extension and its app embed block (extensions/loyalty-theme, blocks/loyalty-embed). */
export const THEME_EXTENSION_HANDLE = "loyalty-theme";
export const THEME_EMBED_HANDLE = "loyalty-embed";

/**
 * Shopify's deep link that opens the theme editor on App embeds with ours selected:
 * https://{shop}/admin/themes/current/editor?context=apps&activateAppId={api_key}/{embed handle}
 * (https://shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration#app-embed-block-deep-linking)
 */
export function themeEmbedDeepLink(shopDomain: string, apiKey: string): string {
  const query = `context=apps&activateAppId=${encodeURIComponent(apiKey)}/${THEME_EMBED_HANDLE}`;
  return `https://${shopDomain}/admin/themes/current/editor?${query}`;
}

export interface OnboardingFacts {
  programSaved: boolean;
  tierCount: number;
  enabledRewards: number;
  /** null: the app cannot tell (it does not read themes), so the item stays open with its link. */
  themeEmbedEnabled: boolean | null;
  klaviyoConnected: boolean;
  flowViewed: boolean;
  /** A history import of the store's customers and orders has finished (issue 18). */
  historyImported: boolean;
}

export type ChecklistKey =
  "program" | "tiers" | "history" | "rewards" | "theme" | "klaviyo" | "flow";

export interface ChecklistItem {
  key: ChecklistKey;
  done: boolean;
  /** Whether `done` is known; false for the theme embed the app cannot read. */
  known: boolean;
  url: string;
  external: boolean;
}

export function onboardingChecklist(
  facts: OnboardingFacts,
  links: { shopDomain: string; apiKey: string },
): ChecklistItem[] {
  const item = (key: ChecklistKey, done: boolean, url: string): ChecklistItem => ({
    key,
    done,
    known: true,
    url,
    external: false,
  });
  return [
    item("program", facts.programSaved, "/app/settings/earning"),
    item("tiers", facts.tierCount > 0, "/app/settings/tiers"),
    // After the tiers: the import places members in the tiers that exist when it runs.
    item("history", facts.historyImported, "/app/import-export#history"),
    item("rewards", facts.enabledRewards > 0, "/app/settings/rewards"),
    {
      key: "theme",
      done: facts.themeEmbedEnabled === true,
      known: facts.themeEmbedEnabled !== null,
      url: themeEmbedDeepLink(links.shopDomain, links.apiKey),
      external: true,
    },
    item("klaviyo", facts.klaviyoConnected, "/app/klaviyo"),
    item("flow", facts.flowViewed, "/app/flow"),
  ];
}
