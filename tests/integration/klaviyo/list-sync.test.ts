/**
 * The "Loyalty members" list stays exact (issue #23 item 6, ADR 0069): each list sync imports the
 * members who belong on it and removes the profiles who do not — deleted, merged away, unsubscribed
 * from email marketing (from Shopify's consent webhook, newest consent_updated_at wins), or never a
 * member. Removal ends list membership only; the profile stays subscribed in Klaviyo.
 */
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { connectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { completeProfileImportJobs } from "../../../sandbox/klaviyo/server";
import type { ConsentRecord, StoredList } from "../../../sandbox/klaviyo/server";
import { deliver, memberOf, mergePayload } from "../../support/deliveries";
import { KLAVIYO_KEY, klaviyoStandIn, newMember } from "../../support/klaviyo";

const klaviyo = klaviyoStandIn();
const CONSENT = "customers_email_marketing_consent/update";

/** The consent webhook's payload as Shopify sends it. */
function consent(customer: { id: number; email?: string | null }, state: string, at: string) {
  return {
    customer_id: customer.id,
    email_address: customer.email ?? null,
    email_marketing_consent: {
      state,
      opt_in_level: state === "subscribed" ? "single_opt_in" : null,
      consent_updated_at: at,
    },
  };
}

async function connected(shopId: string) {
  const existing = await prisma.klaviyoConnection.findUnique({ where: { shopId } });
  if (!existing) await connectKlaviyo(shopId, KLAVIYO_KEY);
}

/** "Sync list now", the drain that runs it, then Klaviyo finishing the import jobs. */
async function syncList(shopId: string) {
  await prisma.klaviyoConnection.update({
    where: { shopId },
    data: { listSyncRequestedAt: new Date(), listSyncedAt: null },
  });
  const report = await drainKlaviyo(shopId);
  expect(report.state).toBe("done");
  completeProfileImportJobs(klaviyo().state);
}

function memberList(): StoredList {
  return klaviyo().state.listByName("Loyalty members")!;
}

function listed(email: string): boolean {
  const profile = klaviyo().state.findProfile({ email });
  return profile !== undefined && memberList().profile_ids.has(profile.id);
}

/** The merchant's own email consent in Klaviyo, which the list sync must never touch. */
function subscribeInKlaviyo(email: string): ConsentRecord {
  const record: ConsentRecord = {
    consent: "SUBSCRIBED",
    consented_at: "2026-05-01T10:00:00+00:00",
    method: "API",
    custom_source: "Merchant signup form",
    list_id: null,
  };
  klaviyo().state.findProfile({ email })!.subscriptions["email.marketing"] = record;
  return record;
}

function requestsOf(operation: string) {
  return klaviyo().state.requests.filter((r) => r.operation === operation);
}

describe("list sync keeps the 'Loyalty members' list exact", () => {
  it("removes deleted, merged-away and unsubscribed members without unsubscribing them in Klaviyo", async () => {
    const stay = await newMember({ email: "list-stay@example.com" });
    const { shop } = stay;
    const deleted = await newMember({ email: "list-deleted@example.com" });
    const kept = await newMember({ email: "list-kept@example.com" });
    const mergedAway = await newMember({ email: "list-merged@example.com" });
    const unsubscribed = await newMember({ email: "list-unsub@example.com" });
    await connected(shop.id);
    await syncList(shop.id);
    const everyone = [stay, deleted, kept, mergedAway, unsubscribed].map((m) => m.customer.email!);
    for (const email of everyone) expect(listed(email)).toBe(true);
    const consentOf = new Map(
      ["list-deleted@example.com", "list-merged@example.com", "list-unsub@example.com"].map(
        (email) => [email, subscribeInKlaviyo(email)],
      ),
    );

    await deliver("customers/delete", { id: deleted.customer.id });
    await deliver("customers/merge", mergePayload(kept.customer, mergedAway.customer));
    await deliver(
      CONSENT,
      consent(unsubscribed.customer, "unsubscribed", "2026-06-01T09:00:00-04:00"),
    );
    expect(await memberOf(unsubscribed.customer.id)).toMatchObject({
      emailMarketingState: "unsubscribed",
      emailConsentUpdatedAt: new Date("2026-06-01T13:00:00Z"),
    });
    const jobsBefore = new Set(klaviyo().state.profileImportJobs.keys());
    const removalsBefore = requestsOf("remove_profiles_from_list").length;
    await syncList(shop.id);

    expect(listed("list-stay@example.com")).toBe(true);
    expect(listed("list-kept@example.com")).toBe(true);
    expect(listed("list-deleted@example.com")).toBe(false);
    expect(listed("list-merged@example.com")).toBe(false);
    expect(listed("list-unsub@example.com")).toBe(false);
    expect(requestsOf("remove_profiles_from_list")).toHaveLength(removalsBefore + 1);
    expect(requestsOf("remove_profiles_from_list").at(-1)!.status).toBe(204);

    // Still there, still subscribed and never suppressed: removal only ends list membership.
    for (const [email, record] of consentOf) {
      const profile = klaviyo().state.findProfile({ email })!;
      expect(profile.subscriptions).toEqual({ "email.marketing": record });
    }
    expect(
      klaviyo().state.requests.filter((r) =>
        /subscription-bulk-delete|suppression|unsubscribe/.test(r.path),
      ),
    ).toEqual([]);

    // The unsubscribed member was not imported (so not re-added) by this sync.
    const unsubProfile = klaviyo().state.findProfile({ email: "list-unsub@example.com" })!;
    const newJobs = [...klaviyo().state.profileImportJobs.values()].filter(
      (job) => !jobsBefore.has(job.id),
    );
    expect(newJobs.length).toBeGreaterThan(0);
    for (const job of newJobs) expect(job.profile_ids).not.toContain(unsubProfile.id);
  });

  it("brings a resubscribed member back; an older consent arriving late changes nothing", async () => {
    const { shop, customer } = await newMember({ email: "list-resub@example.com" });
    await connected(shop.id);

    await deliver(CONSENT, consent(customer, "unsubscribed", "2026-06-02T10:00:00Z"));
    await syncList(shop.id);
    expect(listed("list-resub@example.com")).toBe(false);

    await deliver(CONSENT, consent(customer, "subscribed", "2026-06-03T10:00:00Z"));
    await syncList(shop.id);
    expect(listed("list-resub@example.com")).toBe(true);

    // Shopify's unsubscribe from before the resubscription is delivered late (a retry).
    const late = await deliver(CONSENT, consent(customer, "unsubscribed", "2026-06-02T12:00:00Z"));
    expect(late.outcome).toBe("ignored");
    expect(await memberOf(customer.id)).toMatchObject({
      emailMarketingState: "subscribed",
      emailConsentUpdatedAt: new Date("2026-06-03T10:00:00Z"),
    });
    await syncList(shop.id);
    expect(listed("list-resub@example.com")).toBe(true);

    // And the other way round: the newest state first, then an older subscribe.
    await deliver(CONSENT, consent(customer, "unsubscribed", "2026-06-05T10:00:00Z"));
    await deliver(CONSENT, consent(customer, "subscribed", "2026-06-04T10:00:00Z"));
    expect((await memberOf(customer.id))!.emailMarketingState).toBe("unsubscribed");
    await syncList(shop.id);
    expect(listed("list-resub@example.com")).toBe(false);
  });

  it("reads the list page by page: members past the first 100 are kept or removed too", async () => {
    const active = await newMember({ email: "list-page2-active@example.com" });
    const { shop } = active;
    const unsubscribed = await newMember({ email: "list-page2-unsub@example.com" });
    await connected(shop.id);
    await deliver(CONSENT, consent(unsubscribed.customer, "unsubscribed", "2026-06-06T10:00:00Z"));
    // The list as someone left it: 150 profiles who were never members, then the two members.
    const state = klaviyo().state;
    const list =
      state.listByName("Loyalty members") ?? state.createList("Loyalty members", "single_opt_in");
    for (const profile of [...list.profile_ids]) {
      list.profile_ids.delete(profile);
      list.joined_at.delete(profile);
    }
    const put = (email: string) => {
      const profile = state.newProfile();
      profile.email = email;
      state.profiles.set(profile.id, profile);
      state.noteIdentifier(profile, "email", null);
      state.addToList(list.id, profile.id);
      return profile;
    };
    const strangers = Array.from({ length: 150 }, (_, i) => put(`stranger-${i}@example.com`));
    put("list-page2-active@example.com");
    put("list-page2-unsub@example.com");
    const pagesBefore = requestsOf("get_profiles_for_list").length;

    await syncList(shop.id);

    const pages = requestsOf("get_profiles_for_list").slice(pagesBefore);
    expect(pages).toHaveLength(2);
    expect(pages[0]!.query).toContain("page%5Bsize%5D=100");
    expect(pages[1]!.query).toContain("page%5Bcursor%5D=");
    expect(listed("list-page2-active@example.com")).toBe(true);
    expect(listed("list-page2-unsub@example.com")).toBe(false);
    for (const stranger of strangers) expect(list.profile_ids.has(stranger.id)).toBe(false);
    // The strangers' profiles themselves are left alone.
    expect(state.profiles.has(strangers[0]!.id)).toBe(true);
  });
});
