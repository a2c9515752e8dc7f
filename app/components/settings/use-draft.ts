import { useCallback, useMemo, useState } from "react";
import type { z } from "zod";
import { validate, type FieldErrors } from "~/lib/settings/field-errors";

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Sets `value` at a dotted path of a JSON object, copying along the way. */
export function setAt<T>(target: T, path: string, value: unknown): T {
  const keys = path.split(".");
  const root = clone(target) as Record<string, unknown>;
  let node: Record<string, unknown> = root;
  keys.slice(0, -1).forEach((key) => {
    node = node[key] as Record<string, unknown>;
  });
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return root as T;
}

/**
 * A settings page's draft: starts as the saved value, validated on every change with the same
 * zod schema the server uses, dirty until saved or discarded. A newly saved value (after the
 * action and the loader's revalidation) becomes the new starting point.
 */
export function useDraft<S extends z.ZodType>(schema: S, saved: unknown) {
  const savedJson = JSON.stringify(saved);
  const [draft, setDraft] = useState<unknown>(() => clone(saved));
  // A new saved value (after a save) replaces the draft, during render (React's pattern for
  // state derived from a prop), so no stale draft is ever shown.
  const [base, setBase] = useState(savedJson);
  if (base !== savedJson) {
    setBase(savedJson);
    setDraft(JSON.parse(savedJson));
  }
  const dirty = JSON.stringify(draft) !== savedJson;
  const result = useMemo(() => validate(schema, draft), [schema, draft]);
  const errors: FieldErrors = result.ok ? {} : result.errors;
  const set = useCallback((path: string, value: unknown) => {
    setDraft((current: unknown) => setAt(current, path, value));
  }, []);
  const discard = useCallback(() => setDraft(JSON.parse(savedJson)), [savedJson]);
  return { draft, setDraft, set, dirty, errors, valid: result.ok, discard };
}
export type Draft = ReturnType<typeof useDraft>;
