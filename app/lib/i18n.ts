import en from "~/locales/en.json";

/** Every key of the one translation file; a typo in a key is a type error. */
export type MessageKey = keyof typeof en;

/** The copy for a key with `{name}` placeholders filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (match, name: string) =>
    name in values ? String(values[name]) : match,
  );
}

/** A key that arrived as data (a zod issue's message) shown as copy, or itself when unknown. */
export function tMaybe(key: string): string {
  return hasMessage(key) ? t(key) : key;
}

export function hasMessage(key: string): key is MessageKey {
  return key in en;
}
