import { Link, useLocation } from "@remix-run/react";
import { SaveBar, TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { plural, t } from "~/lib/i18n";
import type { FieldErrors } from "~/lib/settings/field-errors";
import { SETTINGS_SECTIONS, settingsUrl } from "~/lib/settings/sections";

export const SAVE_BAR_ID = "settings-save-bar";

/** The links between settings pages, from SETTINGS_SECTIONS (one entry = one more link). */
export function SectionNav() {
  const { pathname } = useLocation();
  return (
    <nav aria-label={t("settings.nav.label")}>
      <Card padding="300">
        <InlineStack gap="400" wrap>
          {SETTINGS_SECTIONS.map((section) => {
            const url = settingsUrl(section.path);
            const current = pathname === url;
            return (
              <Link
                key={section.path}
                to={url}
                aria-current={current ? "page" : undefined}
                style={{
                  fontWeight: current ? 650 : 450,
                  color: current ? "#303030" : "#005bd3",
                  textDecoration: current ? "none" : "underline",
                }}
              >
                {t(section.title)}
              </Link>
            );
          })}
        </InlineStack>
      </Card>
    </nav>
  );
}

interface ShellProps {
  title: string;
  description: string;
  dirty: boolean;
  /** A form for something that does not exist yet (a new reward): nothing of it is saved. */
  neverSaved?: boolean;
  busy: boolean;
  onSave: () => void;
  onDiscard: () => void;
  /** Errors the last save attempt reported (client check or server answer). */
  saveErrors: FieldErrors | null;
  saved: string | null;
  notices?: ReactNode;
  backUrl?: string;
  aside?: ReactNode;
  children: ReactNode;
}

/** One settings page: title, section links, the App Bridge save bar, save outcome, form, aside. */
export function SettingsShell(props: ShellProps) {
  const errorCount = props.saveErrors ? Object.keys(props.saveErrors).length : 0;
  const formError = props.saveErrors?.[""];
  return (
    <Page
      title={props.title}
      backAction={{
        url: props.backUrl ?? "/app/settings",
        content: props.backUrl ? t("settings.rewards.title") : t("settings.title"),
      }}
    >
      <TitleBar title={props.title} />
      <SaveBar id={SAVE_BAR_ID} open={props.dirty}>
        <button variant="primary" onClick={props.onSave} disabled={props.busy}>
          {t("settings.save")}
        </button>
        <button onClick={props.onDiscard} disabled={props.busy}>
          {t("settings.discard")}
        </button>
      </SaveBar>
      <Layout>
        <Layout.Section>
          <SectionNav />
        </Layout.Section>
        {errorCount > 0 ? (
          <Layout.Section>
            <Banner tone="critical" title={plural("settings.errors.title", errorCount)}>
              <p>{formError ?? t("settings.errors.body")}</p>
            </Banner>
          </Layout.Section>
        ) : props.saved ? (
          <Layout.Section>
            <Banner tone="success" title={props.saved} />
          </Layout.Section>
        ) : null}
        {props.notices}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="p" tone="subdued">
                {props.description}
              </Text>
              {props.children}
              <Box paddingBlockStart="200">
                <Text as="p" tone="subdued">
                  {props.neverSaved
                    ? t("settings.notSavedYet")
                    : props.dirty
                      ? t("settings.unsaved")
                      : t("settings.upToDate")}
                </Text>
              </Box>
            </BlockStack>
          </Card>
        </Layout.Section>
        {props.aside ? <Layout.Section variant="oneThird">{props.aside}</Layout.Section> : null}
      </Layout>
    </Page>
  );
}
