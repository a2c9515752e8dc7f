import type { Browser, CDPSession } from "playwright-core";

/** What one page load cost in Chromium (CPU throttled 4×, as Lighthouse's mobile profile). */
export interface PageLoad {
  /** Sum over long tasks (> 50 ms) of the part above 50 ms, from navigation to 3 s after load. */
  totalBlockingTimeMs: number;
  longTasks: number;
  /** Cumulative Layout Shift (shifts without recent input). */
  cls: number;
  requests: number;
  /** Bytes over the wire (Network.loadingFinished encodedDataLength), document included. */
  bytes: number;
  firstContentfulPaintMs: number;
  /**
   * The renderer's main thread busy from navigation to 3 s after load (CDP Performance
   * TaskDuration, throttled time). Unlike TBT, it has no 50 ms threshold, so a few ms of extra
   * work shows as a few ms instead of as 0 or as a whole long task's excess.
   */
  mainThreadMs: number;
  /** Of which layout (LayoutDuration): where a font lookup or a large DOM shows. */
  layoutMs: number;
  /** Of which script evaluation and execution (ScriptDuration). */
  scriptMs: number;
}

// Runs in the page before any of its scripts: records long tasks and layout shifts.
const OBSERVE = `
  window.__perf = { longTasks: [], shifts: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__perf.longTasks.push(e.duration);
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__perf.shifts += e.value;
  }).observe({ type: "layout-shift", buffered: true });
`;

export async function measurePageLoad(browser: Browser, url: string): Promise<PageLoad> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await cdp.send("Performance.enable");
  let requests = 0;
  let bytes = 0;
  cdp.on("Network.requestWillBeSent", () => (requests += 1));
  cdp.on("Network.loadingFinished", (event: { encodedDataLength: number }) => {
    bytes += event.encodedDataLength;
  });
  await page.addInitScript(OBSERVE);
  await page.goto(url, { waitUntil: "load" });
  await page.waitForTimeout(3000);
  const perf = await page.evaluate(() => {
    const w = window as unknown as { __perf: { longTasks: number[]; shifts: number } };
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0;
    return { ...w.__perf, fcp };
  });
  const { metrics } = await cdp.send("Performance.getMetrics");
  const metric = (name: string) =>
    Math.round((metrics.find((m) => m.name === name)?.value ?? 0) * 10_000) / 10;
  await context.close();
  return {
    totalBlockingTimeMs: perf.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
    longTasks: perf.longTasks.length,
    cls: perf.shifts,
    requests,
    bytes,
    firstContentfulPaintMs: perf.fcp,
    mainThreadMs: metric("TaskDuration"),
    layoutMs: metric("LayoutDuration"),
    scriptMs: metric("ScriptDuration"),
  };
}
