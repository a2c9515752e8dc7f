import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Events of a store's past, recorded by the history import (issue 18): they belong in Klaviyo's
 * profiles and timelines, but no flow should fire for an order of last spring. Inside
 * `recordingHistory`, recordEvent writes Klaviyo's delivery as `backfill` (sent as historical:
 * Klaviyo flows do not trigger) and Flow's as `skipped`, unless the merchant asked to fire flows.
 */
export interface HistoryMode {
  fireFlows: boolean;
}

const mode = new AsyncLocalStorage<HistoryMode>();

export function recordingHistory<T>(options: HistoryMode, work: () => Promise<T>): Promise<T> {
  return mode.run(options, work);
}

/** The history mode the caller runs in, or undefined for live events. */
export function historyMode(): HistoryMode | undefined {
  return mode.getStore();
}

/** Why an imported event was not sent to Flow (shown with the delivery in the admin). */
export const HISTORY_NOT_SENT_TO_FLOW = "Imported history: not sent to Flow";
