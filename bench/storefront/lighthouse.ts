import { launch, type LaunchedChrome } from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../tests/e2e/browser";

/** What Lighthouse (mobile, simulated throttling) says of one page load. */
export interface LighthouseLoad {
  /** The performance category's score in points (0–100), as Lighthouse shows it. */
  score: number;
  totalBlockingTimeMs: number;
  firstContentfulPaintMs: number;
  largestContentfulPaintMs: number;
  speedIndexMs: number;
  cls: number;
}

/**
 * Lighthouse's default (mobile) configuration: the page is loaded unthrottled and its trace is
 * replayed through a model of a mid-range phone on slow 4G (Lantern). Modelled CPU tasks come
 * from the trace, so a shared machine's noise moves the result far less than DevTools' real-time
 * CPU throttling, where a task counts toward TBT only once it crosses 50 ms.
 */
export async function startLighthouse() {
  const chrome: LaunchedChrome = await launch({
    chromePath: CHROMIUM,
    chromeFlags: ["--headless=new", ...CHROMIUM_FLAGS],
    logLevel: "silent",
  });
  return {
    async measure(url: string): Promise<LighthouseLoad> {
      const result = await lighthouse(url, {
        port: chrome.port,
        onlyCategories: ["performance"],
        output: "json",
        logLevel: "error",
      });
      const lhr = result?.lhr;
      if (!lhr || lhr.runtimeError) {
        throw new Error(
          `Lighthouse could not load ${url}: ${lhr?.runtimeError?.message ?? "no result"}`,
        );
      }
      const value = (audit: string) => lhr.audits[audit]?.numericValue ?? Number.NaN;
      return {
        score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
        totalBlockingTimeMs: value("total-blocking-time"),
        firstContentfulPaintMs: value("first-contentful-paint"),
        largestContentfulPaintMs: value("largest-contentful-paint"),
        speedIndexMs: value("speed-index"),
        cls: value("cumulative-layout-shift"),
      };
    },
    close: () => chrome.kill(),
  };
}
