/**
 * A referral from link to reward, as the people involved see it: the advocate copies their link,
 * a new shopper opens it, is welcomed by name, joins, claims their reward, pays their first order
 * with it in the simulated store; the advocate's points and both sides' events arrive in the admin
 * and the Klaviyo stand-in. Each step is a screenshot (docs/screenshots/referral-*.png).
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

const fixture = sandboxPerFile(".data/e2e-referral");
const origin = () => new URL(fixture.sandbox().storefrontUrl).origin;
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.resolve(`docs/screenshots/referral-${name}.png`) });

/**
 * Klaviyo stand-in events of one metric for this referral code (the sample events sent on
 * connect have their own), with the email of the profile each is on.
 */
function klaviyoEvents(metric: string, code: string) {
  const { state } = fixture.sandbox().klaviyo;
  return state.events
    .filter((e) => e.metric_name === metric && e.properties.referral_code === code)
    .map((e) => ({ email: state.profiles.get(e.profile_id)?.email ?? null, ...e.properties }));
}

async function connectKlaviyo(page: Page) {
  await fixture.openAdmin(page, "/app/klaviyo");
  await page.getByLabel("Private API key").fill("pk_sandbox0123456789abcdef0123456789");
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.getByText(/Connected to/).waitFor();
}

async function signIn(page: Page, name: RegExp) {
  await page.goto(`${origin()}/account/login`);
  await page.getByRole("button", { name }).click();
  await page.waitForURL(/\/pages\/rewards$/);
}

describe(
  "a referral, from the advocate's link to the friend's first order",
  { timeout: 240_000 },
  () => {
    it("welcomes the friend by the advocate's name, gives a code that pays, and thanks the advocate", async () => {
      const admin = await newPage(fixture.browser());
      await fixture.openMembersOnceSeeded(admin, 60_000);
      await connectKlaviyo(admin);

      // The advocate copies their link from the panel.
      const advocate = await newPage(fixture.browser());
      await signIn(advocate, /Grace Hopper/);
      await advocate.locator(".lw-launcher").click();
      const link = advocate.locator("#lw-panel .lw-code .lw-link");
      await link.waitFor();
      const url = new URL((await link.textContent()) ?? "");
      const code = url.searchParams.get("ref")!;
      expect(code).toMatch(/^REF-[A-Z2-9]{8}$/);
      expect(await seriousAxeViolations(advocate)).toEqual([]);
      await shot(advocate, "1-advocate-link");
      const advocatePoints = Number(
        (await advocate.locator("[data-lw-balance]").textContent())?.replace(/\D/g, ""),
      );

      // Grace also invites Lin by email: the invitation goes to Lin's profile for a flow to send.
      const panelOfAdvocate = advocate.locator("#lw-panel");
      await panelOfAdvocate.getByLabel("Invite a friend by email").fill("lin.referred@example.com");
      expect(
        await panelOfAdvocate.getByText(/keep their address only until it is sent/).count(),
      ).toBe(1);
      await panelOfAdvocate.getByRole("button", { name: "Send invitation" }).click();
      await panelOfAdvocate.getByText("Invitation sent!").waitFor();
      await expect
        .poll(() => klaviyoEvents("Loyalty Referral Sent", code), { timeout: 60_000 })
        .toEqual([
          expect.objectContaining({
            email: "lin.referred@example.com",
            advocate_first_name: "Grace",
            referral_url: url.toString(),
            friend_reward_name: "$5 off",
            friend_reward_value_formatted: "$5.00 off",
          }),
        ]);
      // Nothing of Grace's own standing rides on Lin's invitation.
      expect(Object.keys(klaviyoEvents("Loyalty Referral Sent", code)[0]!)).not.toContain(
        "member_points_balance",
      );

      // A new shopper opens it: the panel opens by itself with Grace's gift, and the cart keeps it.
      const friend = await newPage(fixture.browser());
      await friend.goto(`${origin()}/?ref=${code}`, { waitUntil: "networkidle" });
      const panel = friend.locator("#lw-panel");
      await panel.getByRole("heading", { name: "A gift from Grace" }).waitFor();
      expect(await panel.getByText("Your friend invited you: claim $5.00 off").count()).toBe(1);
      expect(await panel.getByText(/^Or create an account/).count()).toBe(1);
      const cart = await (await friend.request.get(`${origin()}/cart.js`)).json();
      expect(cart.attributes).toEqual({ _loyalty_referral: code });
      expect(await seriousAxeViolations(friend)).toEqual([]);
      await shot(friend, "2-friend-welcome");

      // They join; back on the store, signed in, the panel offers the claim.
      await panel.getByRole("link", { name: "Join now" }).click();
      await friend.getByLabel("First name").fill("Lin");
      await friend.getByLabel("Email").fill("lin.referred@example.com");
      await friend.getByRole("button", { name: "Create account" }).click();
      await friend.waitForURL(/\/pages\/rewards$/);
      const claim = panel.getByRole("button", { name: "Claim my reward" });
      await claim.waitFor();
      await claim.click();
      const output = panel.locator(".lw-gift .lw-code output");
      await output.waitFor({ timeout: 20_000 });
      const friendCode = (await output.textContent()) ?? "";
      expect(fixture.sandbox().shopify.store.adminApi.discountByCode(friendCode)).toBeDefined();
      expect(await seriousAxeViolations(friend)).toEqual([]);
      await shot(friend, "3-friend-claimed");

      // Their first order, paid with the code.
      await friend.goto(`${origin()}/products/trail-jacket`);
      await friend.getByRole("button", { name: "Add to cart" }).click();
      await friend.waitForURL(/\/cart$/);
      await friend.getByLabel("Discount code").fill(friendCode);
      await friend.getByRole("button", { name: "Pay now" }).click();
      await friend.getByRole("heading", { name: "Thank you for your order" }).waitFor();
      expect(
        await friend.getByText(`Discount code ${friendCode} saved you 5.00 USD.`).count(),
      ).toBe(1);
      await shot(friend, "4-friend-order");

      // The advocate is thanked: points in the panel, the ledger in the admin, both events.
      await expect
        .poll(
          async () => {
            const reply = await advocate.request.get(`${origin()}/apps/loyalty/member`);
            return ((await reply.json()) as { member: { availablePoints: number } }).member
              .availablePoints;
          },
          { timeout: 60_000, interval: 1_000 },
        )
        .toBe(advocatePoints + 200);
      await fixture.openAdmin(admin, "/app/members");
      await admin.getByRole("link", { name: "Grace Hopper" }).click();
      await admin.getByText("Bonus for a referred friend's first order").waitFor();
      await shot(admin, "5-advocate-in-admin");

      await expect
        .poll(() => klaviyoEvents("Loyalty Referral Completed", code).length, { timeout: 60_000 })
        .toBe(1);
      expect(klaviyoEvents("Loyalty Referral Completed", code)).toEqual([
        expect.objectContaining({
          email: "grace.hopper@example.com",
          referral_code: code,
          points_awarded: 200,
          friend_reward_code: friendCode,
        }),
      ]);
      await expect.poll(() => klaviyoEvents("Loyalty Referral Accepted", code).length).toBe(1);
      expect(klaviyoEvents("Loyalty Referral Accepted", code)).toEqual([
        expect.objectContaining({
          email: "lin.referred@example.com",
          referral_code: code,
          reward_code: friendCode,
        }),
      ]);
    });

    it("answers a tampered link and a shopper's own link in plain words, and changes nothing", async () => {
      const stranger = await newPage(fixture.browser());
      await stranger.goto(`${origin()}/?ref=%3Cscript%3Ealert(1)%3C/script%3E`);
      const panel = stranger.locator("#lw-panel");
      await panel
        .getByText("This referral link is not valid. Check it with the friend who sent it.")
        .waitFor();
      expect(await panel.getByRole("heading", { name: "Join our rewards program" }).count()).toBe(
        1,
      );
      expect(await seriousAxeViolations(stranger)).toEqual([]);
      await shot(stranger, "tampered");
      // Forgotten once answered: the next page is an ordinary one.
      await stranger.goto(`${origin()}/products/wool-socks`, { waitUntil: "networkidle" });
      expect(await panel.isVisible()).toBe(false);
    });

    it("lets a signed-out friend claim with their email and see their code at once", async () => {
      const advocate = await newPage(fixture.browser());
      await signIn(advocate, /Ada Lovelace/);
      const own = await advocate.request.get(`${origin()}/apps/loyalty/referral`);
      const { code } = (await own.json()) as { code: string };

      const friend = await newPage(fixture.browser());
      await friend.goto(`${origin()}/?ref=${code}`, { waitUntil: "networkidle" });
      const panel = friend.locator("#lw-panel");
      await panel.getByRole("heading", { name: "A gift from Ada" }).waitFor();
      await panel.getByLabel("Your email").fill("not-an-email");
      await panel.getByRole("button", { name: "Claim my reward" }).click();
      // The browser's own check stops it first: nothing was asked of the app.
      expect(await panel.locator(".lw-gift .lw-code").count()).toBe(0);
      await panel.getByLabel("Your email").fill("mo.by-email@example.com");
      await panel.getByRole("button", { name: "Claim my reward" }).click();
      const output = panel.locator(".lw-gift .lw-code output");
      await output.waitFor({ timeout: 20_000 });
      const friendCode = (await output.textContent()) ?? "";
      const discount = fixture.sandbox().shopify.store.adminApi.discountByCode(friendCode);
      const mo = [...fixture.sandbox().shopify.store.customers.values()].find(
        (c) => c.email === "mo.by-email@example.com",
      );
      expect(discount?.customers).toEqual([mo!.id]);
      expect(await seriousAxeViolations(friend)).toEqual([]);
      await shot(friend, "email-claim");
    });
  },
);
