// Social follows (issue #23): honour-based clicks in the widget, once per network per member.
// The merchant sets each network's profile URL and points in Settings (0 = off).

export const SOCIAL_NETWORKS = ["instagram", "tiktok", "facebook", "x"] as const;
export type SocialNetwork = (typeof SOCIAL_NETWORKS)[number];

/** Brand names, the same in every language. */
export const SOCIAL_NETWORK_NAMES: Record<SocialNetwork, string> = {
  instagram: "Instagram",
  tiktok: "TikTok",
  facebook: "Facebook",
  x: "X",
};

/** What a profile link looks like on each network, for the settings' help text. */
export function profileLinkExample(network: SocialNetwork, handle: string): string {
  const path = network === "tiktok" ? `@${handle}` : handle;
  const host = network === "x" ? "x.com" : `www.${HOSTS[network][0]}`;
  return `https://${host}/${path}`;
}

/** The hosts a network's profile lives on (the bare domain or any subdomain of it). */
const HOSTS: Record<SocialNetwork, readonly string[]> = {
  instagram: ["instagram.com"],
  tiktok: ["tiktok.com"],
  facebook: ["facebook.com", "fb.com"],
  x: ["x.com", "twitter.com"],
};

export function isSocialNetwork(value: unknown): value is SocialNetwork {
  return typeof value === "string" && (SOCIAL_NETWORKS as readonly string[]).includes(value);
}

/** An https link to a page on that network's own domain (no credentials, no other port). */
export function isProfileUrl(network: SocialNetwork, value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" || url.username || url.password || url.port) return false;
  const host = url.hostname.toLowerCase();
  return HOSTS[network].some((domain) => host === domain || host.endsWith(`.${domain}`));
}
