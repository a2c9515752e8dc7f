import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { profilePropertyNames } from "~/domain/klaviyo/index";
import { DEFAULT_PROGRAM_CONFIG } from "~/domain/program/index";
import { adjustPoints } from "~/services/ledger/adjust.server";
import { setBirthday } from "~/services/members/birthday.server";
import { connectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { saveProgram } from "~/services/program/versions.server";
import { completeProfileImportJobs } from "../../../sandbox/klaviyo/server";
import { KLAVIYO_KEY, klaviyoStandIn, newMember } from "../../support/klaviyo";

const klaviyo = klaviyoStandIn();

/** Creates a profile in the stand-in directly, as another integration would have. */
async function seed(attributes: Record<string, unknown>) {
  const response = await fetch(`${klaviyo().url}/api/profile-import`, {
    method: "POST",
    headers: {
      Authorization: `Klaviyo-API-Key ${KLAVIYO_KEY}`,
      revision: "2026-07-15",
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ data: { type: "profile", attributes } }),
  });
  expect(response.status).toBeLessThan(300);
}

async function syncStates(shopId: string) {
  return prisma.klaviyoProfileSync.findMany({ where: { shopId } });
}

describe("Klaviyo profile properties", () => {
  it("sends every catalog §4 property, then only what changed, and clears with null", async () => {
    const { shop, member, customer } = await newMember({ email: "props@example.com" });
    // A property Klaviyo has from before (another app, an old sync) that the member no longer has.
    await seed({ email: "props@example.com", properties: { loyalty_vip_tier: "Gold" } });
    await connectKlaviyo(shop.id, KLAVIYO_KEY);
    await setBirthday(shop.id, BigInt(customer.id), { month: 2, day: 29 });

    await drainKlaviyo(shop.id);

    const profile = klaviyo().state.findProfile({ email: "props@example.com" })!;
    const sent = klaviyo()
      .state.requests.filter((r) => r.operation === "create_or_update_profile" && r.status < 300)
      .at(-1)!.body as { data: { attributes: { properties: Record<string, unknown> } } };
    expect(Object.keys(sent.data.attributes.properties).sort()).toEqual(
      profilePropertyNames().sort(),
    );
    expect(profile.properties).toMatchObject({
      loyalty_member: true,
      loyalty_points_balance: 0,
      loyalty_birthday: "2000-02-29",
      loyalty_birth_month: 2,
      loyalty_rewards_available: 0,
    });
    // null clears in Klaviyo: no tier, no store credit → no such property on the profile.
    expect(profile.properties).not.toHaveProperty("loyalty_vip_tier");
    const [state] = await syncStates(shop.id);
    const current = await prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(state).toMatchObject({ state: "synced", syncedVersion: current.updatedAt });

    // Nothing changed: a drain sends no profile.
    const before = klaviyo().state.requests.length;
    await drainKlaviyo(shop.id);
    expect(
      klaviyo()
        .state.requests.slice(before)
        .filter((r) => r.path.startsWith("/api/profile")),
    ).toEqual([]);

    // A change makes the profile stale; the next drain sends the new balance.
    await adjustPoints({
      shopId: shop.id,
      customerId: BigInt(customer.id),
      points: 40,
      note: null,
      source: "manual",
      idempotencyKey: `props:${customer.id}`,
    });
    await drainKlaviyo(shop.id);
    expect(
      klaviyo().state.findProfile({ email: "props@example.com" })!.properties
        .loyalty_points_balance,
    ).toBe(40);
  });

  it("imports a backlog in bulk jobs, re-syncs everyone after a rules change, and records refused profiles", async () => {
    const { shop } = await newMember({ email: "first@example.com" });
    for (let i = 0; i < 60; i++) await newMember({ email: `bulk${i}@example.com`, phone: null });
    // A member whose email and phone already belong to two different Klaviyo profiles: refused.
    await newMember({ email: "clash@example.com", phone: "+15555550142" });
    klaviyo().state.profiles.clear();
    await prisma.klaviyoProfileSync.deleteMany({ where: { shopId: shop.id } });
    await seed({ email: "clash@example.com" });
    await seed({ phone_number: "+15555550142" });
    await connectKlaviyo(shop.id, KLAVIYO_KEY);

    const report = await drainKlaviyo(shop.id);

    expect(report.state).toBe("done");
    const imports = klaviyo().state.requests.filter((r) => r.operation === "bulk_import_profiles");
    expect(imports.length).toBeGreaterThan(0);
    completeProfileImportJobs(klaviyo().state);
    await drainKlaviyo(shop.id); // checks the finished job and its errors
    const states = await syncStates(shop.id);
    const members = await prisma.member.count({ where: { shopId: shop.id, status: "active" } });
    expect(states).toHaveLength(members);
    const failed = states.filter((s) => s.state === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.lastError).toBeTruthy();
    expect(
      klaviyo().state.findProfile({ email: "bulk59@example.com" })?.properties.loyalty_member,
    ).toBe(true);

    // A rules change (a new tier) re-sends every profile, with the tier ladder in it.
    const importsBefore = imports.length;
    await prisma.$transaction((tx) =>
      saveProgram(
        tx,
        shop.id,
        {
          ...DEFAULT_PROGRAM_CONFIG,
          tiers: [
            {
              id: "gold",
              name: "Gold",
              threshold: { kind: "lifetime_points", points: 500 },
              earnMultiplier: 1,
              entryBonusPoints: 0,
            },
          ],
        },
        "test",
      ),
    );
    await drainKlaviyo(shop.id);
    const after = klaviyo().state.requests.filter((r) => r.operation === "bulk_import_profiles");
    expect(after.length).toBeGreaterThan(importsBefore);
    completeProfileImportJobs(klaviyo().state);
    expect(
      klaviyo().state.findProfile({ email: "bulk3@example.com" })?.properties.loyalty_next_tier,
    ).toBe("Gold");
  });
});
