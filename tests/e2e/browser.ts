import fs from "node:fs";
import net from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";

// Debian's Chromium (apt-get install chromium); Playwright never downloads a browser here.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags that keep a root, offline Chromium from reaching for Google's services. */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A page that does not announce itself as headless: shopify-app-remix answers bots (isbot, which
 * matches "HeadlessChrome") with 410 Gone, as Shopify admin never embeds a headless browser.
 */
export async function newPage(browser: Browser): Promise<Page> {
  const probe = await browser.newPage();
  const userAgent = (await probe.evaluate(() => navigator.userAgent)).replace(
    "HeadlessChrome",
    "Chrome",
  );
  await probe.close();
  return browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent });
}
