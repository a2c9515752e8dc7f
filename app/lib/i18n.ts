import en from "~/locales/en.json";
import fr from "~/locales/fr.json";

/** Every key of the English file; a typo in a key is a type error. */
export type MessageKey = keyof typeof en;

/** The admin's languages: every one complete (a missing key is a type error here). */
const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, fr };
export type Locale = "en" | "fr";
export const LOCALES: readonly Locale[] = ["en", "fr"];

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/**
 * Shopify admin's `locale` (a staff member's language, e.g. "fr" or "fr-CA") as one of the app's,
 * English for any other.
 */
export function toLocale(raw: string | null | undefined): Locale {
  const language = raw?.toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((locale) => locale === language) ?? "en";
}

/** The copy for a key in a language, `{name}` placeholders filled in. */
export function translate(
  locale: Locale,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  return CATALOGS[locale][key].replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? String(values[name]) : match,
  );
}

export function translator(locale: Locale): Translate {
  return (key, values) => translate(locale, key, values);
}

/**
 * Where `t` finds the language of what is being rendered: in the browser the admin page's (one
 * staff member per tab), on the server the request being rendered (entry.server). Loaders and
 * actions use the translator `authenticate.admin` gives them instead.
 */
let activeLocale: () => Locale = () => "en";
export function setLocaleSource(source: () => Locale) {
  activeLocale = source;
}

export function currentLocale(): Locale {
  return activeLocale();
}

/** The BCP 47 tag numbers and dates are written in for the language being rendered. */
export function numberLocale(): string {
  return translate(activeLocale(), "locale.tag");
}

/** The copy for a key in the language being rendered. */
export const t: Translate = (key, values) => translate(activeLocale(), key, values);

/** Keys written as `<key>.one` and `<key>.other`: copy that depends on a count. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.other`
    ? `${Base}.one` extends MessageKey
      ? Base
      : never
    : never;
}[MessageKey];

/**
 * Copy for a count, by the language's plural rules ("1 field" / "2 fields"; in French 0 and 1
 * are singular), with `{count}` written as the language writes numbers.
 */
export function plural(
  key: PluralKey,
  count: number,
  values: Record<string, string | number> = {},
  translate: Translate = t,
): string {
  const tag = translate("locale.tag");
  const form = new Intl.PluralRules(tag).select(count) === "one" ? "one" : "other";
  return translate(`${key}.${form}` as MessageKey, {
    ...values,
    count: count.toLocaleString(tag),
  });
}

/** Copy values with their numbers written as the language writes them ("1 000" in French). */
export function numbersIn(
  values: Record<string, string | number> | undefined,
  translate: Translate = t,
): Record<string, string | number> | undefined {
  if (!values) return undefined;
  const tag = translate("locale.tag");
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      typeof value === "number" ? value.toLocaleString(tag) : value,
    ]),
  );
}

/** A key that arrived as data (a zod issue's message) shown as copy, or itself when unknown. */
export function tMaybe(
  key: string,
  translate: Translate = t,
  values?: Record<string, string | number>,
): string {
  return hasMessage(key) ? translate(key, values) : key;
}

export function hasMessage(key: string): key is MessageKey {
  return key in en;
}
