import { useFetcher, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Link, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { t, tMaybe } from "~/lib/i18n";

type StartResult = { ok: boolean; message: string; authorizeUrl?: string };
export type OAuthOutcome = { ok: boolean; message: string };

/**
 * "Connect with Klaviyo": Klaviyo's consent page opens in a popup, so the merchant never leaves
 * Shopify admin; the callback page in the popup reports back with postMessage and closes. The popup
 * is opened on the click itself (popup blockers allow only that) and pointed at Klaviyo once the
 * server has prepared the authorization. The outcome goes to `onOutcome`: once connected, the card
 * replaces this button, so a banner kept here would vanish with it.
 */
export function OAuthButton({ onOutcome }: { onOutcome: (outcome: OAuthOutcome | null) => void }) {
  const fetcher = useFetcher<StartResult>();
  const revalidator = useRevalidator();
  const popup = useRef<Window | null>(null);
  const [blockedUrl, setBlockedUrl] = useState<string | null>(null);

  useEffect(() => {
    const url = fetcher.data?.authorizeUrl;
    if (!url) return;
    if (popup.current && !popup.current.closed) popup.current.location.href = url;
    else setBlockedUrl(url);
  }, [fetcher.data]);

  useEffect(() => {
    function onMessage(event: MessageEvent) {
      const data = event.data as {
        type?: string;
        key?: string;
        params?: Record<string, string | number>;
      } & OAuthOutcome;
      if (event.origin !== window.location.origin || data?.type !== "klaviyo-oauth") return;
      // The callback sends a copy key: written here, in this admin's language.
      const message = data.key ? tMaybe(data.key, t, data.params) : data.message;
      onOutcome({ ok: data.ok, message });
      setBlockedUrl(null);
      revalidator.revalidate();
    }
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [revalidator, onOutcome]);

  function start() {
    onOutcome(null);
    popup.current = window.open("", "klaviyo-oauth", "popup,width=600,height=760");
    fetcher.submit({ intent: "oauth-start" }, { method: "post" });
  }

  const failure = fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Button variant="primary" onClick={start} loading={fetcher.state !== "idle"}>
          {t("klaviyo.oauth.button")}
        </Button>
        <Text as="span" tone="subdued">
          {t("klaviyo.oauth.hint")}
        </Text>
      </InlineStack>
      {blockedUrl ? (
        <Banner tone="warning">
          {t("klaviyo.oauth.blocked")}{" "}
          <Link url={blockedUrl} target="_blank">
            {t("klaviyo.oauth.openLink")}
          </Link>
        </Banner>
      ) : null}
      {failure ? <Banner tone="critical">{failure}</Banner> : null}
    </BlockStack>
  );
}
