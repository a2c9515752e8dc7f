// A stand-in for the `shopify` global of customer account extensions, for rendering their views
// in tests: translations come from the extension's own locale file (plurals by `count`, the
// {{name}} placeholders Shopify's i18n uses), dates and money through Intl.
type Messages = { [key: string]: string | Messages };

export function fakeShopify(messages: Messages, locale = "en") {
  const lookup = (key: string): string | Messages | undefined =>
    key
      .split(".")
      .reduce<string | Messages | undefined>(
        (node, part) => (typeof node === "object" ? node[part] : undefined),
        messages,
      );
  const translate = (key: string, params: Record<string, unknown> = {}) => {
    let message = lookup(key);
    if (typeof message === "object" && typeof params.count === "number") {
      message = params.count === 1 ? message.one : message.other;
    }
    if (typeof message !== "string") return key;
    return message.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ""));
  };
  return {
    i18n: {
      translate,
      formatNumber: (value: number) => new Intl.NumberFormat(locale).format(value),
      formatCurrency: (value: number, options: { currency: string }) =>
        new Intl.NumberFormat(locale, { style: "currency", currency: options.currency }).format(
          value,
        ),
      // Shopify formats with Intl when given options; plain dates as ISO keep assertions exact.
      formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) =>
        options
          ? new Intl.DateTimeFormat(locale, options).format(date)
          : date.toISOString().slice(0, 10),
    },
  };
}

/** Installs the stand-in as the global `shopify` the views read. */
export function useFakeShopify(messages: Messages, locale?: string) {
  (globalThis as { shopify?: unknown }).shopify = fakeShopify(messages, locale);
}

/** What a rendered view reads as: its text without the tags, spaces collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
