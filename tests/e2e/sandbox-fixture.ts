import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { startSandbox } from "../../sandbox/sandbox";
import { freePort, launchChromium } from "./browser";

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * A sandbox on free ports and a Chromium for the test file, both stopped after it. The store's
 * history is imported at start unless the test walks the import itself (`history: "wait"`).
 */
export function sandboxPerFile(
  dataDir: string,
  options: { seedProgram?: boolean; history?: "wait" | "import" } = {},
) {
  let sandbox: Sandbox | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({
      appPort: await freePort(),
      shopifyPort: await freePort(),
      klaviyoPort: await freePort(),
      dataDir,
      history: "import",
      ...options,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
  });
  return {
    sandbox: () => sandbox!,
    browser: () => browser!,
    /** The admin, authenticated through the embedded bounce, then the app page at `pathname`. */
    async openAdmin(page: Page, pathname: string) {
      await page.goto(sandbox!.adminUrl, { waitUntil: "networkidle" });
      await expect.poll(() => page.url()).toContain("id_token=");
      const url = new URL(page.url());
      url.pathname = pathname;
      await page.goto(url.toString(), { waitUntil: "networkidle" });
    },
    /** The members list once the seeded store's customers are members. */
    async openMembersOnceSeeded(page: Page, timeout = 30_000) {
      await expect
        .poll(
          async () => {
            await this.openAdmin(page, "/app/members");
            return page.getByRole("link", { name: "Grace Hopper" }).count();
          },
          { timeout, interval: 1_000 },
        )
        .toBeGreaterThan(0);
    },
  };
}
