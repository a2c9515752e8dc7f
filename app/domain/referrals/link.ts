/**
 * The advocate's share link: what the storefront's referral endpoint gives them
 * (app/routes/proxy.referral.tsx) and what Klaviyo's `loyalty_referral_url` carries.
 */
export function referralUrl(domain: string, code: string) {
  return `https://${domain}/?ref=${encodeURIComponent(code)}`;
}
