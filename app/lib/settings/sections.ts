import type { MessageKey } from "~/lib/i18n";

/**
 * The settings pages, in the order the overview and the section tabs show them. A new section is
 * one entry here plus one route file `app/routes/app.settings.<path>.tsx` (copy the nearest one).
 */
export interface SettingsSection {
  /** The route segment: /app/settings/<path>. */
  path: string;
  title: MessageKey;
  description: MessageKey;
}

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  {
    path: "earning",
    title: "settings.earning.title",
    description: "settings.earning.description",
  },
  {
    path: "bonuses",
    title: "settings.bonuses.title",
    description: "settings.bonuses.description",
  },
  { path: "expiry", title: "settings.expiry.title", description: "settings.expiry.description" },
  {
    path: "pending",
    title: "settings.pending.title",
    description: "settings.pending.description",
  },
  { path: "tiers", title: "settings.tiers.title", description: "settings.tiers.description" },
  {
    path: "store-credit",
    title: "settings.storeCredit.title",
    description: "settings.storeCredit.description",
  },
  {
    path: "referrals",
    title: "settings.referrals.title",
    description: "settings.referrals.description",
  },
  {
    path: "rewards",
    title: "settings.rewards.title",
    description: "settings.rewards.description",
  },
  {
    path: "commerce",
    title: "settings.commerce.title",
    description: "settings.commerce.description",
  },
];

export const settingsUrl = (path: string) => `/app/settings/${path}`;
