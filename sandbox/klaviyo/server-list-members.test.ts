import { describe, expect, it } from "vitest";
import { completeProfileImportJobs } from "./server";
import { call, errorsOf, profileBody, resource, standInPerTest } from "./test-helpers";

const { start, s } = standInPerTest();

async function createList(name: string): Promise<string> {
  const r = await call(s(), "POST", "/api/lists", { data: { type: "list", attributes: { name } } });
  expect(r.status).toBe(201);
  return resource(r).id;
}

/** Imports profiles into the list through Bulk Import Profiles, in this order. */
async function importIntoList(listId: string, emails: string[]) {
  const r = await call(s(), "POST", "/api/profile-bulk-import-jobs", {
    data: {
      type: "profile-bulk-import-job",
      attributes: {
        profiles: { data: emails.map((email) => profileBody({ email }).data) },
      },
      relationships: { lists: { data: [{ type: "list", id: listId }] } },
    },
  });
  expect(r.status).toBe(202);
  completeProfileImportJobs(s().state);
}

type Page = {
  data: { type: string; id: string; attributes: Record<string, unknown> }[];
  links: { self: string; next?: string; prev?: string };
};

const page = (json: unknown) => json as Page;

function subscribeBody(email: string, listId: string) {
  return {
    data: {
      type: "profile-subscription-bulk-create-job",
      attributes: {
        profiles: {
          data: [
            {
              type: "profile",
              attributes: {
                email,
                subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } },
              },
            },
          ],
        },
      },
      relationships: { list: { data: { type: "list", id: listId } } },
    },
  };
}

function removeBody(ids: string[]) {
  return { data: ids.map((id) => ({ type: "profile", id })) };
}

describe("Get Profiles for List", () => {
  it("pages the members by cursor, at most 100 a page, in join order with joined_group_at", async () => {
    const clock = await start();
    const listId = await createList("Loyalty members");
    const emails = Array.from({ length: 130 }, (_, i) => `m${String(i).padStart(3, "0")}@ex.com`);
    await importIntoList(listId, emails.slice(0, 100));
    clock.advance(5_000);
    await importIntoList(listId, emails.slice(100));

    const path = `/api/lists/${listId}/profiles`;
    const first = await call(s(), "GET", `${path}?page[size]=100`);
    expect(first.status).toBe(200);
    const one = page(first.json);
    expect(one.data).toHaveLength(100);
    expect(one.data[0]).toMatchObject({
      type: "profile",
      attributes: { email: "m000@ex.com", joined_group_at: "2026-08-03T12:00:00+00:00" },
    });
    expect(one.links.next).toBeDefined();
    const cursor = new URL(one.links.next!).searchParams.get("page[cursor]")!;
    const second = page(
      (await call(s(), "GET", `${path}?page[size]=100&page[cursor]=${cursor}`)).json,
    );
    expect(second.data.map((p) => p.attributes.email)).toEqual(emails.slice(100));
    expect(second.data[0]?.attributes.joined_group_at).toBe("2026-08-03T12:00:05+00:00");
    expect(second.links.next).toBeUndefined();

    // Default page size 20; sorted newest first; sparse fields; filter by email.
    expect(page((await call(s(), "GET", path)).json).data).toHaveLength(20);
    const newest = page((await call(s(), "GET", `${path}?sort=-joined_group_at`)).json);
    expect(newest.data[0]?.attributes.email).toBe("m129@ex.com");
    const sparse = page((await call(s(), "GET", `${path}?fields[profile]=email,external_id`)).json);
    expect(Object.keys(sparse.data[0]!.attributes).sort()).toEqual(["email", "external_id"]);
    const filtered = page(
      (
        await call(
          s(),
          "GET",
          `${path}?filter=${encodeURIComponent("any(email,['M007@ex.com','m120@ex.com'])")}`,
        )
      ).json,
    );
    expect(filtered.data.map((p) => p.attributes.email)).toEqual(["m007@ex.com", "m120@ex.com"]);
  });

  it("refuses a page size above 100, an unknown sort and an unknown list", async () => {
    await start();
    const listId = await createList("Loyalty members");
    const tooBig = await call(s(), "GET", `/api/lists/${listId}/profiles?page[size]=101`);
    expect(tooBig.status).toBe(400);
    expect(errorsOf(tooBig)[0]?.detail).toContain("page[size]");
    expect((await call(s(), "GET", `/api/lists/${listId}/profiles?sort=email`)).status).toBe(400);
    expect((await call(s(), "GET", "/api/lists/NoSuch/profiles")).status).toBe(404);
  });
});

describe("Remove Profiles from List", () => {
  it("ends list membership only: consent and subscriptions stay", async () => {
    await start();
    const listId = await createList("Loyalty members");
    const newsletter = await createList("Newsletter");
    await importIntoList(listId, ["ada@example.com", "bob@example.com"]);
    const subscribed = await call(
      s(),
      "POST",
      "/api/profile-subscription-bulk-create-jobs",
      subscribeBody("ada@example.com", newsletter),
    );
    expect(subscribed.status).toBe(202);
    const ada = s().state.findProfile({ email: "ada@example.com" })!;
    const consentBefore = structuredClone(ada.subscriptions);

    const removed = await call(
      s(),
      "DELETE",
      `/api/lists/${listId}/relationships/profiles`,
      removeBody([ada.id]),
    );
    expect(removed.status).toBe(204);
    expect(removed.text).toBe("");
    const list = s().state.lists.get(listId)!;
    expect(list.profile_ids.has(ada.id)).toBe(false);
    expect(list.profile_ids.size).toBe(1);
    expect(s().state.profiles.get(ada.id)?.subscriptions).toEqual(consentBefore);
    expect(s().state.lists.get(newsletter)!.profile_ids.has(ada.id)).toBe(true);
    const members = page((await call(s(), "GET", `/api/lists/${listId}/profiles`)).json);
    expect(members.data.map((p) => p.attributes.email)).toEqual(["bob@example.com"]);

    // Removing someone who is not (or no longer) on the list changes nothing.
    const again = await call(
      s(),
      "DELETE",
      `/api/lists/${listId}/relationships/profiles`,
      removeBody([ada.id]),
    );
    expect(again.status).toBe(204);
    expect(list.profile_ids.size).toBe(1);
  });

  it("validates the body against the contract and takes at most 1,000 profiles", async () => {
    await start();
    const listId = await createList("Loyalty members");
    const path = `/api/lists/${listId}/relationships/profiles`;
    const wrongType = await call(s(), "DELETE", path, { data: [{ type: "list", id: "x" }] });
    expect(wrongType.status).toBe(400);
    expect(errorsOf(wrongType)[0]?.source?.pointer).toBe("/data/0/type");
    const noId = await call(s(), "DELETE", path, { data: [{ type: "profile" }] });
    expect(noId.status).toBe(400);
    const tooMany = await call(
      s(),
      "DELETE",
      path,
      removeBody(Array.from({ length: 1001 }, (_, i) => `P${i}`)),
    );
    expect(tooMany.status).toBe(400);
    expect(errorsOf(tooMany)[0]?.detail).toContain("1000");
    const unknown = await call(
      s(),
      "DELETE",
      "/api/lists/NoSuch/relationships/profiles",
      removeBody(["P1"]),
    );
    expect(unknown.status).toBe(404);
  });

  it("needs lists:write and profiles:write on the key", async () => {
    await start({
      keyScopes: { pk_reader_0123456789abcdef0123456789ab: ["lists:read", "profiles:read"] },
    });
    const listId = await createList("Loyalty members");
    const auth = { Authorization: "Klaviyo-API-Key pk_reader_0123456789abcdef0123456789ab" };
    const read = await call(s(), "GET", `/api/lists/${listId}/profiles`, undefined, auth);
    expect(read.status).toBe(200);
    const write = await call(
      s(),
      "DELETE",
      `/api/lists/${listId}/relationships/profiles`,
      removeBody(["P1"]),
      auth,
    );
    expect(write.status).toBe(403);
  });
});
