import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { connectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { startKlaviyoSync } from "~/services/klaviyo/sync-now.server";
import { completeProfileImportJobs } from "../../../sandbox/klaviyo/server";
import { deliver } from "../../support/deliveries";
import { KLAVIYO_KEY, klaviyoStandIn, newMember, recordExampleEvent } from "../../support/klaviyo";

const klaviyo = klaviyoStandIn();

describe("Sync now", () => {
  it("backfills history from before the connection without firing flows, with progress", async () => {
    const { shop, member } = await newMember({ email: "history@example.com" });
    const old = await recordExampleEvent(
      member.id,
      "points.added",
      new Date("2026-01-02T03:04:05Z"),
    );
    await connectKlaviyo(shop.id, KLAVIYO_KEY);
    await drainKlaviyo(shop.id);
    expect(klaviyo().state.events.some((e) => e.unique_id === old.id)).toBe(false);

    const run = await startKlaviyoSync(shop.id, { includeEvents: true });
    expect(run.eventsTotal).toBeGreaterThanOrEqual(2); // member.activated and points.added
    const again = await startKlaviyoSync(shop.id, { includeEvents: true });
    expect(again.id).toBe(run.id);
    await drainKlaviyo(shop.id);

    const sent = klaviyo().state.events.find((e) => e.unique_id === old.id)!;
    expect(sent.backfill).toBe(true);
    expect(sent.time).toBe("2026-01-02T03:04:05+00:00");
    const finished = await prisma.klaviyoSyncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(finished).toMatchObject({ state: "done", eventsDone: run.eventsTotal });
    expect(finished.profilesDone).toBe(finished.profilesTotal);
  });
});

describe("list sync (seed 004)", () => {
  it("imports active members into the 'Loyalty members' list on demand, never inactive ones", async () => {
    const { shop } = await newMember({ email: "listed@example.com" });
    const gone = await newMember({ email: "gone@example.com" });
    await deliver("customers/delete", { id: gone.customer.id });
    await connectKlaviyo(shop.id, KLAVIYO_KEY);
    await drainKlaviyo(shop.id);
    expect(klaviyo().state.listByName("Loyalty members")).toBeUndefined();

    await prisma.klaviyoConnection.update({
      where: { shopId: shop.id },
      data: { listSyncRequestedAt: new Date() },
    });
    await drainKlaviyo(shop.id);
    completeProfileImportJobs(klaviyo().state);

    const list = klaviyo().state.listByName("Loyalty members")!;
    const listed = klaviyo().state.findProfile({ email: "listed@example.com" })!;
    expect(list.profile_ids.has(listed.id)).toBe(true);
    const goneProfile = klaviyo().state.findProfile({ email: "gone@example.com" });
    expect(goneProfile === undefined || !list.profile_ids.has(goneProfile.id)).toBe(true);
    const connection = await prisma.klaviyoConnection.findUniqueOrThrow({
      where: { shopId: shop.id },
    });
    expect(connection.listId).toBe(list.id);
    expect(connection.listSyncedAt).not.toBeNull();

    // Done for this request: the next drain does not import again.
    const imports = klaviyo().state.requests.filter(
      (r) => r.operation === "bulk_import_profiles",
    ).length;
    await drainKlaviyo(shop.id);
    expect(
      klaviyo().state.requests.filter((r) => r.operation === "bulk_import_profiles").length,
    ).toBe(imports);
  });
});
