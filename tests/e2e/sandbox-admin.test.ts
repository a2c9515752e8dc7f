import path from "node:path";
import { describe, expect, it } from "vitest";
import { screenshotAndCheckA11y, seriousAxeViolations } from "./axe";
import { newPage } from "./browser";
import { sandboxPerFile } from "./sandbox-fixture";

const fixture = sandboxPerFile(".data/e2e");

describe("sandbox admin in a browser", () => {
  it("renders the app's home page through the embedded auth flow", async () => {
    const page = await newPage(fixture.browser());
    const failed: string[] = [];
    page.on("requestfailed", (request) => failed.push(request.url()));

    await page.goto(fixture.sandbox().adminUrl, { waitUntil: "networkidle" });

    // The bounce page got a session token and came back; the loader read the shop via GraphQL.
    await expect.poll(() => page.url()).toContain("id_token=");
    await page.getByRole("heading", { name: "Sandbox Outfitters" }).waitFor();
    expect(await page.getByText("Events received from Shopify").isVisible()).toBe(true);
    expect(await page.getByRole("navigation", { name: "App navigation" }).isVisible()).toBe(true);
    expect(failed.filter((url) => !url.startsWith("https://cdn.shopify.com/"))).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // afterAuth stored Shopify's time zone, currency and country for the calendar and money.
    const { default: prisma } = await import("~/db.server");
    const shop = await prisma.shop.findUniqueOrThrow({
      where: { domain: fixture.sandbox().shopify.store.shop.domain },
    });
    expect(shop).toMatchObject({
      timeZone: "America/New_York",
      currency: "USD",
      countryCode: "US",
    });
  });

  it("shows an order sent from the simulated store in the admin", async () => {
    const store = await newPage(fixture.browser());
    await store.goto(fixture.sandbox().storeUrl, { waitUntil: "networkidle" });
    const firstPay = store.getByRole("button", { name: "Pay" }).first();
    await firstPay.click();
    await store.getByText(/Sent orders\/paid → 200/).waitFor();
    // A Flow action run, signed as Flow signs it, reaches the app's action route.
    await store.getByRole("button", { name: "Flow +100" }).first().click();
    await store.getByText(/Sent flow action loyalty-add-points → 200/).waitFor();
    await store.screenshot({
      path: path.resolve("docs/screenshots/simulated-store.png"),
      fullPage: true,
    });

    const admin = await newPage(fixture.browser());
    await admin.goto(fixture.sandbox().adminUrl, { waitUntil: "networkidle" });
    await admin.getByRole("heading", { name: "Sandbox Outfitters" }).waitFor();
    // The deliveries the app stores and counts: not Flow's, and not bulk_operations/finish (the
    // history import's, acted on at once).
    const received = fixture
      .sandbox()
      .shopify.webhooks.log.filter(
        (w) => !w.topic.startsWith("flow") && !w.topic.startsWith("bulk_operations/"),
      ).length;
    await expect
      .poll(async () => admin.getByText(received.toLocaleString("en"), { exact: true }).count())
      .toBeGreaterThan(0);
    // The imported history and this order became members and points.
    expect(await admin.getByText("Points outstanding").isVisible()).toBe(true);
    await screenshotAndCheckA11y(admin, "admin-home");
  });

  it("a newsletter subscription in the store earns points, seen from Shopify admin's customer link", async () => {
    const { default: prisma } = await import("~/db.server");
    const { saveProgram } = await import("~/services/program/versions.server");
    const { store } = fixture.sandbox().shopify;
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: store.shop.domain } });
    await saveProgram(prisma, shop.id, { bonuses: { newsletterPoints: 40 } }, "e2e");
    const customer = [...store.customers.values()].find(
      (c) => !store.emailMarketingConsent.has(c.id),
    )!;

    const simulator = await newPage(fixture.browser());
    await simulator.goto(fixture.sandbox().storeUrl, { waitUntil: "networkidle" });
    const row = simulator.getByRole("row").filter({ hasText: customer.email! });
    await row.getByRole("button", { name: "Subscribe to newsletter" }).click();
    await simulator.getByText(/Sent customers_email_marketing_consent\/update → 200/).waitFor();
    await row.getByRole("button", { name: "Unsubscribe" }).click();
    await simulator.getByText(/Sent customers_email_marketing_consent\/update → 200/).waitFor();
    await row.getByRole("button", { name: "Subscribe to newsletter" }).click();

    // Shopify admin's "Loyalty: view points and rewards" on the customer's page opens
    // /app/customers?id=<customer id> in the app's frame: it lands on the member page.
    const admin = await newPage(fixture.browser());
    await fixture.openAdmin(admin, "/app");
    const link = new URL(admin.url());
    link.pathname = "/app/customers";
    link.searchParams.set("id", String(customer.id));
    const bonus = admin.getByText("for subscribing to the newsletter");
    await expect
      .poll(
        async () => {
          await admin.goto(link.toString(), { waitUntil: "networkidle" });
          return bonus.count();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBe(1);
    expect(new URL(admin.url()).pathname).toMatch(/^\/app\/members\/[0-9a-f-]{36}$/);
    expect(await seriousAxeViolations(admin)).toEqual([]);
  });

  it("connects Klaviyo from the admin and shows what was delivered", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app/klaviyo");
    // Before connecting, the page says what will happen to the events already waiting.
    await page.getByText(/loyalty events? (is|are) waiting\. When you connect/).waitFor();

    await page.getByLabel("Private API key").fill("pk_wrong");
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await page.getByText(/looks cut short or has spaces inside/).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel("Private API key").fill("pk_sandbox0123456789abcdef0123456789");
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await page.getByText(/Connected to/).waitFor();
    // …and after, where they went and how to send them as history.
    await page.getByText(/from before you connected Klaviyo (was|were) not sent/).waitFor();
    // The sample profile and events go out on connect; history before it waits for "Sync now".
    await expect
      .poll(() => fixture.sandbox().klaviyo.state.events.length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.getByRole("button", { name: "Sync now" }).click();
    await page.getByText(/Syncing \d+ profiles/).waitFor();
    await expect
      .poll(
        () =>
          fixture.sandbox().klaviyo.state.profileImportJobs.size +
          fixture.sandbox().klaviyo.state.profiles.size,
        {
          timeout: 15_000,
        },
      )
      .toBeGreaterThan(1);
    // The page reports the finished sync (not a progress bar) once every profile went out.
    await expect
      .poll(
        async () => {
          await fixture.openAdmin(page, "/app/klaviyo");
          return page.getByText(/^Last sync: (\d+) of \1 profiles/).count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
    expect(await page.getByText("Delivered", { exact: true }).isVisible()).toBe(true);
    // The key is never sent back to the browser.
    expect(await page.content()).not.toContain("pk_sandbox0123456789abcdef0123456789");
    await screenshotAndCheckA11y(page, "admin-klaviyo");
  });

  it("connects Omnisend with an API key; members' points reach their contacts", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app/omnisend");
    await page.getByText(/as contact properties \(for campaigns and segments\)/).waitFor();

    await page.getByLabel("API key").fill("pk_abcdefabcdefabcdefabcdef");
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await page.getByText(/This is a Klaviyo private key/).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    const key = "65a1b2c3d4e5f60718293a4b-SandboxOmnisendKey0000000001";
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await page.getByText(/Connected to Omnisend/).waitFor();
    // Every member goes to Omnisend as a contact with the loyalty properties, without a welcome.
    const omnisend = fixture.sandbox().omnisend;
    await expect.poll(() => omnisend.state.contacts.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const contact = omnisend.state.contacts[0]!;
    expect(contact.customProperties).toHaveProperty("loyalty_points_balance");
    expect(omnisend.state.requests.filter((r) => r.status >= 400 && r.status !== 401)).toEqual([]);
    await expect
      .poll(
        async () => {
          await fixture.openAdmin(page, "/app/omnisend");
          return page.getByText(/^(\d+) of \1 members up to date in Omnisend$/).count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
    expect(await page.getByText(/key …0001/).count()).toBe(1);
    expect(await page.content()).not.toContain(key);
    await screenshotAndCheckA11y(page, "admin-omnisend");
  });

  it("connects with Klaviyo (OAuth) in a popup without leaving the admin", async () => {
    const page = await newPage(fixture.browser());
    await fixture.openAdmin(page, "/app/klaviyo");
    // After the private-key test the shop is connected: OAuth replaces that connection.
    if (await page.getByRole("button", { name: "Disconnect" }).isVisible()) {
      await page.getByRole("button", { name: "Disconnect" }).click();
      // The result banner and the connection card's reason both say "Disconnected": wait for the
      // connect button instead, which appears only once the disconnect has been saved.
      await page.getByRole("button", { name: "Connect with Klaviyo" }).waitFor();
    }

    const popupOpened = page.waitForEvent("popup");
    await page.getByRole("button", { name: "Connect with Klaviyo" }).click();
    const popup = await popupOpened;
    await popup.getByRole("button", { name: "Allow" }).waitFor();
    expect(await popup.getByText("events:write").isVisible()).toBe(true);
    const closed = popup.waitForEvent("close");
    await popup.getByRole("button", { name: "Allow" }).click();
    await closed;

    // The card switches to the connection once the page reloads its data; the popup's result stays
    // above it (it used to vanish with the Connect button, and this wait then raced the reload).
    await page.getByText("connected with OAuth", { exact: false }).waitFor();
    expect(await page.getByText(/Connected to/).isVisible()).toBe(true);
    const events = fixture
      .sandbox()
      .klaviyo.state.requests.filter((r) => r.auth === "oauth" && r.path.startsWith("/api/"));
    expect(events.length).toBeGreaterThan(0);
  });
});
