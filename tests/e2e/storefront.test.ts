/**
 * The storefront as a shopper sees it: pages rendered from the theme app extension's Liquid by the
 * sandbox store, the widget talking to the app through the signed App Proxy. Keyboard use, focus,
 * accessibility (axe-core, no serious or critical violations) and screenshots for the README.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { localDate, shopTimeZone, startOfNextLocalDay } from "~/domain/calendar";
import { ProgramConfigSchema } from "~/domain/program";
import { pointsForPrice, programSummary } from "~/domain/storefront";
import { PRODUCTS } from "../../sandbox/storefront/products";
import { SANDBOX_PROGRAM } from "../../sandbox/storefront/program-fixture";
import { SANDBOX_APP } from "../../sandbox/sandbox";
import { signedFlowActionRequest } from "../../sandbox/shopify/signing";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

const fixture = sandboxPerFile(".data/e2e-storefront");
const origin = () => new URL(fixture.sandbox().storefrontUrl).origin;
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page: Page) {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (c: Document) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Opens the panel from the keyboard: Tab until the launcher has focus, then Enter. */
async function openWithKeyboard(page: Page) {
  const launcher = page.locator(".lw-launcher");
  for (
    let i = 0;
    i < 30 && !(await launcher.evaluate((el) => el === document.activeElement));
    i++
  ) {
    await page.keyboard.press("Tab");
  }
  expect(await launcher.evaluate((el) => el === document.activeElement)).toBe(true);
  await page.keyboard.press("Enter");
  await expect.poll(() => page.locator("#lw-panel").isVisible()).toBe(true);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("lw-panel");
  expect(await launcher.getAttribute("aria-expanded")).toBe("true");
}

const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: path.resolve(`docs/screenshots/storefront-${name}.png`) });

describe("the storefront widget", () => {
  it("invites a signed-out shopper to join, and closes with Escape back to the launcher", async () => {
    const page = await newPage(fixture.browser());
    const proxied: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/apps/loyalty/")) proxied.push(new URL(r.url()).pathname);
    });
    await page.goto(`${origin()}/pages/rewards`, { waitUntil: "networkidle" });
    // A page view costs the app nothing: the widget asks only when opened.
    expect(proxied).toEqual([]);

    await openWithKeyboard(page);
    const panel = page.locator("#lw-panel");
    await expect
      .poll(() => panel.getByRole("heading", { name: "Join our rewards program" }).count())
      .toBe(1);
    expect(await panel.getByRole("link", { name: "Join now" }).getAttribute("href")).toBe(
      "/account/register",
    );
    expect(await panel.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe(
      "/account/login",
    );
    await expect.poll(() => panel.getByText("$5 off").count()).toBe(1);
    expect(await panel.getByText("100 points on your birthday").count()).toBe(1);
    expect(proxied).toEqual(["/apps/loyalty/program"]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "signed-out");

    await page.keyboard.press("Escape");
    expect(await panel.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("lw-launcher");
  });

  it("shows 'Earn N points' on product pages by the program's rules, in the shopper's language", async () => {
    const page = await newPage(fixture.browser());
    const summary = programSummary(ProgramConfigSchema.parse(SANDBOX_PROGRAM), "USD", {
      enabled: true,
      advocatePoints: 200,
    });
    for (const product of PRODUCTS) {
      await page.goto(`${origin()}/products/${product.handle}`);
      const expected = pointsForPrice(summary, product.price);
      expect(await page.locator(".lw-earn__points").textContent()).toBe(
        `Earn ${expected} points with this purchase`,
      );
    }
    await page.goto(`${origin()}/fr/products/wool-socks`, { waitUntil: "networkidle" });
    expect(await page.locator(".lw-earn__points").textContent()).toBe(
      "Gagnez 19 points avec cet achat",
    );
    await page.goto(`${origin()}/products/trail-jacket`, { waitUntil: "networkidle" });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "product");
  });

  it("lets a signed-in member see points and tier, redeem a reward and copy a working code", async () => {
    const page = await newPage(fixture.browser());
    await page.goto(`${origin()}/account/login`);
    await page.getByRole("button", { name: /Grace Hopper/ }).click();
    await page.waitForURL(/\/pages\/rewards$/);
    // The seeded orders are earned by the app's workers: wait until Grace has points to spend.
    await expect
      .poll(
        async () => {
          const reply = await page.request.get(`${origin()}/apps/loyalty/member`);
          const body = (await reply.json()) as { member: { availablePoints: number } | null };
          return body.member?.availablePoints ?? 0;
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBeGreaterThanOrEqual(50);
    await page.reload({ waitUntil: "networkidle" });

    await openWithKeyboard(page);
    const panel = page.locator("#lw-panel");
    const balance = panel.locator("[data-lw-balance]");
    await expect.poll(() => balance.count()).toBe(1);
    const before = Number((await balance.textContent())?.replace(/\D/g, ""));
    expect(before).toBeGreaterThanOrEqual(50);
    expect(await panel.getByText("Hi Grace").count()).toBe(1);
    expect(await panel.getByRole("progressbar").getAttribute("aria-label")).toMatch(
      /to reach (Silver|Gold)/,
    );

    const redeem = panel.getByRole("button", { name: "Redeem: $5 off" });
    expect(await redeem.isEnabled()).toBe(true);
    expect(await panel.getByRole("button", { name: "Redeem: $50 off" }).isDisabled()).toBe(true);
    // Why not, in the shopper's words: the points still missing, counted from the balance.
    expect(
      await panel
        .getByText(`5,000 points · ${(5000 - before).toLocaleString("en")} more points to go`)
        .count(),
    ).toBe(1);
    expect(await panel.getByText("1 point per $1.00 spent").count()).toBe(1);
    await redeem.focus();
    await page.keyboard.press("Enter");
    // Points are spent only after a second, explicit step; the focus is on it.
    expect(await panel.getByText("Spend 50 points?").count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Yes, redeem");
    await page.keyboard.press("Enter");
    const code = panel.locator(".lw-result .lw-code output");
    await expect.poll(() => code.count(), { timeout: 20_000 }).toBe(1);
    const text = (await code.textContent()) ?? "";
    expect(text).toMatch(/^[A-Z0-9-]{6,}$/);
    // The code exists at Shopify (the stand-in), so it works at checkout.
    expect(fixture.sandbox().shopify.store.adminApi.discountByCode(text)).toBeDefined();
    expect(Number((await balance.textContent())?.replace(/\D/g, ""))).toBe(before - 50);
    // The list follows the new balance: the shortfall for $50 off grew by what was spent.
    const shortfall = (5000 - before + 50).toLocaleString("en");
    await expect
      .poll(() => panel.getByText(`5,000 points · ${shortfall} more points to go`).count())
      .toBe(1);
    // Focus moved to the copy button, so a keyboard user can copy at once.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Copy");
    await page.keyboard.press("Enter");
    expect(await panel.getByRole("button", { name: "Copied" }).count()).toBe(1);

    expect(await panel.locator(".lw-code .lw-link").textContent()).toMatch(/\?ref=[\w-]+$/);
    // Invite a friend by email: the app answers and the widget says so (referral.sent is written).
    await panel.getByLabel("Invite a friend by email").fill("friend-e2e@example.com");
    await panel.getByRole("button", { name: "Send invitation" }).click();
    await expect.poll(() => panel.getByText("Invitation sent!").count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "member");

    await panel.getByLabel("Month").selectOption("5");
    await panel.getByLabel("Day").fill("17");
    await panel.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => panel.getByText("Saved, thank you!").count()).toBe(1);
  });
});

describe("My rewards, money and the keyboard", () => {
  const grace = () =>
    [...fixture.sandbox().shopify.store.customers.values()].find((c) => c.first_name === "Grace")!;

  async function signInAsGrace(page: Page, locale = "") {
    await page.goto(`${origin()}${locale}/account/login`);
    await page.getByRole("button", { name: /Grace Hopper/ }).click();
    await page.waitForURL(/\/pages\/rewards$/);
  }

  it("lists every code the shopper owns after a reload: redeemed, from a campaign, from Flow, for her birthday", async () => {
    const page = await newPage(fixture.browser());
    await signInAsGrace(page);
    // A redeemed code (the widget's own request), a campaign's, a Flow workflow's and a birthday's.
    const redeemed = await page.request.post(`${origin()}/apps/loyalty/redeem`, {
      data: { reward: "five-off", request_id: "e2e-my-rewards-1" },
    });
    expect(redeemed.status()).toBe(200);
    const redeemedCode = ((await redeemed.json()) as { code: string }).code;
    const admin = await newPage(fixture.browser());
    await fixture.openMembersOnceSeeded(admin, 60_000);
    await fixture.openAdmin(admin, "/app/campaigns");
    await admin.getByLabel("Campaign name").fill("Winter thank-you");
    await admin.getByLabel("Reward", { exact: true }).selectOption({ label: "10% off" });
    await admin.getByRole("button", { name: "Preview" }).click();
    await admin.getByRole("button", { name: /^Give the reward to \d+ members/ }).click();
    await admin
      .getByRole("row", { name: /Winter thank-you/ })
      .getByText("Done")
      .waitFor({
        timeout: 60_000,
      });
    const { appUrl } = fixture.sandbox();
    const flow = await fetch(
      signedFlowActionRequest({
        url: `${appUrl}/flow/grant-reward`,
        secret: SANDBOX_APP.apiSecret,
        shop: fixture.sandbox().shopify.store.shop.domain,
        handle: "loyalty-grant-reward",
        actionRunId: "e2e-my-rewards-flow",
        properties: { customer_id: grace().id, reward: "five-off" },
      }),
    );
    expect(flow.status).toBe(200);
    // The birthday reward as a store grants it: the merchant picks one, Grace saves her birthday
    // (tomorrow, in the shop's time zone), and the shop's daily run of that day gives it to her.
    await fixture.openAdmin(admin, "/app/settings/bonuses");
    await admin.getByLabel("Reward in the birthday month").selectOption({ label: "$5 off" });
    await admin.locator("ui-save-bar").getByRole("button", { name: "Save" }).click();
    await admin.getByText(/Saved as program version \d+\./).waitFor();
    const { default: prisma } = await import("~/db.server");
    const { runDailyMaintenance } = await import("~/services/daily/maintenance.server");
    const shop = await prisma.shop.findUniqueOrThrow({
      where: { domain: fixture.sandbox().shopify.store.shop.domain },
    });
    const timeZone = shopTimeZone(shop.timeZone);
    // Saved today, a birthday in the birth month is due the day after (never at the save).
    const birthdayRun = new Date(startOfNextLocalDay(new Date(), timeZone).getTime() + 3_600_000);
    const { month, day } = localDate(birthdayRun, timeZone);
    const saved = await page.request.post(`${origin()}/apps/loyalty/birthday`, {
      data: { month, day },
    });
    expect(saved.status()).toBe(200);
    expect((await runDailyMaintenance(shop.id, birthdayRun)).birthMonthsEntered).toBe(1);

    type OwnedCode = { code: string; source: string; expiresAt: string | null };
    let codes: OwnedCode[] = [];
    await expect
      .poll(
        async () => {
          const reply = await page.request.get(`${origin()}/apps/loyalty/member`);
          codes = ((await reply.json()) as { member: { codes: OwnedCode[] } }).member.codes;
          return codes.map((c) => c.source).sort();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toEqual(
        expect.arrayContaining([
          "birthday",
          "one_time_campaign",
          "points_redemption",
          "shopify_flow_action",
        ]),
      );
    const birthdayCode = codes.find((c) => c.source === "birthday")!;
    expect(birthdayCode.expiresAt).not.toBeNull();

    await page.reload({ waitUntil: "networkidle" });
    await page.locator(".lw-launcher").click();
    const panel = page.locator("#lw-panel");
    const mine = panel.locator("div", { has: page.getByRole("heading", { name: "My rewards" }) });
    await mine.first().waitFor();
    expect(await panel.getByText(redeemedCode, { exact: true }).count()).toBe(1);
    // The birthday's code with what it is worth and until when it works.
    const birthdayItem = panel
      .getByRole("listitem")
      .filter({ has: page.getByText(birthdayCode.code, { exact: true }) });
    const useBy = new Date(birthdayCode.expiresAt!).toLocaleDateString("en", {
      dateStyle: "medium",
    });
    expect(await birthdayItem.locator(".lw-muted").textContent()).toBe(
      `$5.00 off · use by ${useBy}`,
    );
    expect(await birthdayItem.getByRole("button", { name: "Copy: $5 off" }).count()).toBe(1);
    expect(await panel.getByRole("button", { name: "Copy: 10% off" }).count()).toBeGreaterThan(0);
    expect(await panel.getByRole("button", { name: "Copy: $5 off" }).count()).toBeGreaterThan(1);
    expect(await seriousViolations(page)).toEqual([]);
    await panel.getByRole("heading", { name: "My rewards" }).scrollIntoViewIfNeeded();
    await screenshot(page, "my-rewards");
  });

  it("keeps the keyboard inside the open panel, asks before spending, and closes with Escape", async () => {
    const page = await newPage(fixture.browser());
    await signInAsGrace(page);
    await openWithKeyboard(page);
    const panel = page.locator("#lw-panel");
    await panel.locator("[data-lw-balance]").waitFor();
    const inPanel = () =>
      page.evaluate(() => document.getElementById("lw-panel")!.contains(document.activeElement));
    // Around the whole panel and back, forwards and backwards: focus never leaves it.
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab");
      expect(await inPanel()).toBe(true);
    }
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press("Shift+Tab");
      expect(await inPanel()).toBe(true);
    }
    const redeem = panel.getByRole("button", { name: "Redeem: $5 off" });
    await redeem.focus();
    await page.keyboard.press("Enter");
    expect(await panel.getByText("Spend 50 points?").count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    // Cancel spends nothing and gives the focus back to the reward's button.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await panel.getByText("Spend 50 points?").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
      "Redeem: $5 off",
    );
    await page.keyboard.press("Escape");
    expect(await panel.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("lw-launcher");
  });

  it("shows one money format on a French page: the theme's prices, the page and the panel", async () => {
    const page = await newPage(fixture.browser());
    await signInAsGrace(page, "/fr");
    await page.goto(`${origin()}/fr/pages/rewards`, { waitUntil: "networkidle" });
    await page.locator(".lw-launcher").click();
    await page.locator("#lw-panel [data-lw-balance]").waitFor();
    const text = await page.locator("body").innerText();
    expect(text).toContain("1 point par tranche de $1.00 dépensée");
    expect(text).toContain("1 point par $1.00 dépensé");
    // Every amount reads as the shop's prices do ($1,234.50), none as "1 234,50 $US" or "USD".
    expect(text).not.toMatch(/\$US|USD|\d,\d\d\s*\$/);
    await screenshot(page, "french");
  });

  it("lists the rewards on the rewards page for a signed-out shopper, cheapest first", async () => {
    const page = await newPage(fixture.browser());
    await page.goto(`${origin()}/pages/rewards?embed=0`, { waitUntil: "networkidle" });
    const items = await page.locator(".lw-page__list").nth(1).locator("li").allInnerTexts();
    expect(items).toEqual(["$5 off: 50 points", "10% off: 150 points", "$50 off: 5000 points"]);
    expect(await page.getByText("1 point per $1.00 spent").count()).toBe(1);
  });
});

describe("social follows in Ways to earn", () => {
  it("opens the profile in a new tab and credits the points once per network", async () => {
    // The merchant switches Instagram on in Bonuses & birthdays.
    const admin = await newPage(fixture.browser());
    await fixture.openAdmin(admin, "/app/settings/bonuses");
    await admin.getByLabel("Instagram profile link").fill("http://instagram.com/sandbox");
    await admin.getByLabel("Points for following on Instagram").fill("30");
    const saveBar = admin.locator("ui-save-bar");
    await saveBar.getByRole("button", { name: "Save" }).click();
    await admin.getByText("Enter the https link to your Instagram profile").first().waitFor();
    await admin.getByLabel("Instagram profile link").fill("https://www.instagram.com/sandbox");
    await saveBar.getByRole("button", { name: "Save" }).click();
    await admin.getByText(/Saved as program version \d+\./).waitFor();

    const page = await newPage(fixture.browser());
    await page.goto(`${origin()}/account/login`);
    await page.getByRole("button", { name: /Grace Hopper/ }).click();
    await page.waitForURL(/\/pages\/rewards$/);
    await openWithKeyboard(page);
    const panel = page.locator("#lw-panel");
    const balance = panel.locator("[data-lw-balance]");
    await expect.poll(() => balance.count()).toBe(1);
    const before = Number((await balance.textContent())?.replace(/\D/g, ""));
    const follow = panel.getByRole("link", { name: "30 points for following us on Instagram" });
    expect(await follow.getAttribute("href")).toBe("https://www.instagram.com/sandbox");
    expect(await follow.getAttribute("target")).toBe("_blank");

    // The profile opens in a new tab (not followed here: the sandbox has no internet).
    await page
      .context()
      .route("https://www.instagram.com/**", (route) =>
        route.fulfill({ body: "Instagram stand-in" }),
      );
    const [tab] = await Promise.all([page.waitForEvent("popup"), follow.click()]);
    expect(tab.url()).toBe("https://www.instagram.com/sandbox");
    await tab.close();
    await expect
      .poll(() =>
        panel.getByText("Thanks for following us! The points are in your balance.").count(),
      )
      .toBe(1);
    await expect
      .poll(async () => Number((await balance.textContent())?.replace(/\D/g, "")))
      .toBe(before + 30);
    expect(await seriousViolations(page)).toEqual([]);

    // A second click opens the profile again but earns nothing more.
    const [again] = await Promise.all([page.waitForEvent("popup"), follow.click()]);
    await again.close();
    await expect
      .poll(() => panel.getByText("You already earned the points for following us there.").count())
      .toBe(1);
    expect(Number((await balance.textContent())?.replace(/\D/g, ""))).toBe(before + 30);
  });
});

describe("a spend goal and a pay-with-points reward, signed out", () => {
  it("says both in the shopper's language, the amount in the shop's money format", async () => {
    // The merchant adds both, saved through the app's services as the settings pages save them.
    const { default: prisma } = await import("~/db.server");
    const { programInForce, saveProgram } = await import("~/services/program/versions.server");
    const { saveReward } = await import("~/services/rewards/catalog.server");
    const shop = await prisma.shop.findUniqueOrThrow({
      where: { domain: fixture.sandbox().shopify.store.shop.domain },
    });
    const { config } = await programInForce(prisma, shop.id);
    const goal = { id: "big-spender", kind: "spend", minor: 1_234_50, windowDays: 60, points: 300 };
    await prisma.$transaction((tx) =>
      saveProgram(tx, shop.id, { ...config, goals: [...config.goals, goal] }, "e2e"),
    );
    await saveReward(shop.id, {
      type: "pay_with_points",
      handle: "pay-with-points",
      name: "Points toward your order",
      pointsPerStep: 100,
      amountMinorPerStep: 100,
      minPoints: 1000,
      maxPoints: 5000,
    });

    const page = await newPage(fixture.browser());
    const panel = page.locator("#lw-panel");
    const payWithPoints = panel
      .getByRole("listitem")
      .filter({ hasText: "Points toward your order" })
      .locator(".lw-muted");
    for (const [locale, goalText, cost] of [
      ["", "300 points for spending $1,234.50 within 60 days", "1,000 points"],
      ["/fr", "300 points pour $1,234.50 dépensés en 60 jours", "1\u202f000 points"],
    ]) {
      await page.goto(`${origin()}${locale}/pages/rewards`, { waitUntil: "networkidle" });
      await page.locator(".lw-launcher").click();
      const ways = panel.locator(".lw-ways li");
      await expect.poll(() => ways.allTextContents()).toContain(goalText);
      // The least it takes, as the signed-in list says it; no server-made English text.
      expect(await payWithPoints.textContent()).toBe(cost);
    }
    expect(await seriousViolations(page)).toEqual([]);
  });
});
