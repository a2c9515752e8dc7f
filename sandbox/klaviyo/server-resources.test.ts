import { describe, expect, it } from "vitest";
import { completeProfileImportJobs } from "./server";
import { call, errorsOf, eventBody, profileBody, resource, standInPerTest } from "./test-helpers";

const { start, s } = standInPerTest();

function importBody(profiles: Record<string, unknown>[], listIds: string[] = []) {
  const data: Record<string, unknown> = {
    type: "profile-bulk-import-job",
    attributes: { profiles: { data: profiles.map((attributes) => profileBody(attributes).data) } },
  };
  if (listIds.length > 0)
    data.relationships = { lists: { data: listIds.map((id) => ({ type: "list", id })) } };
  return { data };
}

async function createList(name: string): Promise<string> {
  const r = await call(s(), "POST", "/api/lists", { data: { type: "list", attributes: { name } } });
  expect(r.status).toBe(201);
  return resource(r).id;
}

describe("Bulk Import Profiles", () => {
  it("goes queued → processing → complete and only then writes the profiles", async () => {
    const clock = await start();
    const listId = await createList("Loyalty members");
    await call(
      s(),
      "POST",
      "/api/profile-import",
      profileBody({ email: "ada@example.com", properties: { tier: "Silver", keep: 1 } }),
    );

    const posted = await call(
      s(),
      "POST",
      "/api/profile-bulk-import-jobs",
      importBody(
        [
          { email: "ada@example.com", properties: { tier: "Gold" } },
          { email: "bob@example.com", external_id: "shopify:2" },
          { email: "not-an-email" },
        ],
        [listId],
      ),
    );
    expect(posted.status).toBe(202);
    const job = resource(posted);
    expect(job).toMatchObject({
      type: "profile-bulk-import-job",
      attributes: { status: "queued", total_count: 3, completed_count: 0, failed_count: 0 },
    });
    expect(s().state.findProfile({ email: "bob@example.com" })).toBeUndefined();

    const path = `/api/profile-bulk-import-jobs/${job.id}`;
    clock.advance(1_000);
    const processing = await call(s(), "GET", path);
    expect(resource(processing).attributes).toMatchObject({
      status: "processing",
      started_at: "2026-08-03T12:00:01+00:00",
    });
    expect(s().state.findProfile({ email: "bob@example.com" })).toBeUndefined();

    clock.advance(1_000);
    const complete = await call(s(), "GET", `${path}?include=lists`);
    expect(complete.status).toBe(200);
    expect(resource(complete).attributes).toMatchObject({
      status: "complete",
      completed_count: 2,
      failed_count: 1,
      completed_at: "2026-08-03T12:00:02+00:00",
    });
    expect(complete.json).toMatchObject({ included: [{ type: "list", id: listId }] });
    expect(s().state.findProfile({ email: "ada@example.com" })?.properties).toEqual({
      tier: "Gold",
      keep: 1,
    });
    expect(s().state.findProfile({ external_id: "shopify:2" })?.email).toBe("bob@example.com");
    expect(s().state.lists.get(listId)?.profile_ids.size).toBe(2);

    const errors = await call(s(), "GET", `${path}/import-errors`);
    expect(errors.json).toMatchObject({
      data: [
        {
          type: "import-error",
          attributes: { source: { pointer: "/data/attributes/profiles/data/2/attributes/email" } },
        },
      ],
    });
    // Polling a finished job is stable.
    expect(resource(await call(s(), "GET", path)).attributes.status).toBe("complete");
  });

  it("rejects unknown jobs, unknown lists and more than 10,000 profiles", async () => {
    await start();
    expect((await call(s(), "GET", "/api/profile-bulk-import-jobs/01NOPE")).status).toBe(404);
    const unknownList = await call(
      s(),
      "POST",
      "/api/profile-bulk-import-jobs",
      importBody([{ email: "a@b.co" }], ["XyZ123"]),
    );
    expect(unknownList.status).toBe(404);
    expect(errorsOf(unknownList)[0]?.source?.pointer).toBe("/data/relationships/lists/data/0/id");
    const many = Array.from({ length: 10_001 }, (_, i) => ({ email: `p${i}@example.com` }));
    const tooMany = await call(s(), "POST", "/api/profile-bulk-import-jobs", importBody(many));
    expect(tooMany.status).toBe(400);
    expect(errorsOf(tooMany)[0]?.source?.pointer).toBe("/data/attributes/profiles/data");
    expect(s().state.profileImportJobs.size).toBe(0);
  });

  it("completeProfileImportJobs finishes jobs for callers that do not poll", async () => {
    await start();
    await call(s(), "POST", "/api/profile-bulk-import-jobs", importBody([{ email: "a@b.co" }]));
    completeProfileImportJobs(s().state);
    expect([...s().state.profileImportJobs.values()][0]?.status).toBe("complete");
    expect(s().state.findProfile({ email: "a@b.co" })).toBeDefined();
  });
});

describe("Get Metrics", () => {
  it("pages 200 metrics at a time and filters by integration", async () => {
    await start({ limits: { create_event: { burst: Infinity, steady: Infinity } } });
    for (let i = 0; i < 205; i++) {
      await call(
        s(),
        "POST",
        "/api/events",
        eventBody({ metric: `Metric ${String(i).padStart(3, "0")}` }),
      );
    }
    await call(s(), "POST", "/api/events", eventBody({ metric: "Branded" }), {
      Authorization: "Bearer app-token",
    });

    const first = await call(s(), "GET", "/api/metrics");
    const page1 = first.json as {
      data: { attributes: { name: string } }[];
      links: { next?: string };
    };
    expect(page1.data).toHaveLength(200);
    expect(page1.links.next).toBeDefined();
    const next = new URL(page1.links.next ?? "");
    const second = await call(s(), "GET", next.pathname + next.search);
    const page2 = second.json as {
      data: { attributes: { name: string } }[];
      links: { next?: string };
    };
    expect(page2.data.map((m) => m.attributes.name)).toEqual([
      "Metric 200",
      "Metric 201",
      "Metric 202",
      "Metric 203",
      "Metric 204",
      "Branded",
    ]);
    expect(page2.links.next).toBeUndefined();

    const branded = await call(
      s(),
      "GET",
      `/api/metrics?filter=${encodeURIComponent("equals(integration.name,'Sandbox Loyalty App')")}`,
    );
    expect(branded.json).toMatchObject({
      data: [{ type: "metric", attributes: { name: "Branded" } }],
    });
    const badFilter = await call(
      s(),
      "GET",
      `/api/metrics?filter=${encodeURIComponent("equals(name,'x')")}`,
    );
    expect(badFilter.status).toBe(400);
    expect(badFilter.json).toMatchObject({ errors: [{ source: { parameter: "filter" } }] });
  });
});

describe("accounts, lists and subscriptions", () => {
  it("Get Accounts returns the one account with its contact information", async () => {
    await start({
      account: { organization_name: "Ada's Shop", default_sender_email: "hi@ada.test" },
    });
    const r = await call(s(), "GET", "/api/accounts");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      data: [
        {
          type: "account",
          attributes: {
            contact_information: {
              organization_name: "Ada's Shop",
              default_sender_email: "hi@ada.test",
            },
          },
        },
      ],
    });
  });

  it("creates lists, lists them 10 per page and filters by name", async () => {
    // Create List allows only 10/s, so lift the burst for this setup loop.
    await start({ limits: { create_list: { burst: 100 } } });
    for (let i = 0; i < 12; i++) await createList(`List ${i}`);
    const page = await call(s(), "GET", "/api/lists");
    expect((page.json as { data: unknown[] }).data).toHaveLength(10);
    const named = await call(
      s(),
      "GET",
      `/api/lists?filter=${encodeURIComponent('equals(name,"List 11")')}`,
    );
    expect(named.json).toMatchObject({ data: [{ type: "list", attributes: { name: "List 11" } }] });
    expect((await call(s(), "GET", "/api/lists?page[size]=11")).status).toBe(400);
  });

  it("Bulk Subscribe records consent and list membership", async () => {
    await start();
    const listId = await createList("Newsletter");
    const r = await call(s(), "POST", "/api/profile-subscription-bulk-create-jobs", {
      data: {
        type: "profile-subscription-bulk-create-job",
        attributes: {
          profiles: {
            data: [
              {
                type: "profile",
                attributes: {
                  email: "ada@example.com",
                  subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } },
                },
              },
            ],
          },
        },
        relationships: { list: { data: { type: "list", id: listId } } },
      },
    });
    expect(r.status).toBe(202);
    const profile = s().state.findProfile({ email: "ada@example.com" });
    expect(profile?.subscriptions["email.marketing"]).toMatchObject({
      consent: "SUBSCRIBED",
      list_id: listId,
    });
    expect(
      s()
        .state.lists.get(listId)
        ?.profile_ids.has(profile?.id ?? ""),
    ).toBe(true);

    const noEmail = await call(s(), "POST", "/api/profile-subscription-bulk-create-jobs", {
      data: {
        type: "profile-subscription-bulk-create-job",
        attributes: {
          profiles: {
            data: [
              {
                type: "profile",
                attributes: {
                  phone_number: "+15555550100",
                  subscriptions: { email: { marketing: { consent: "SUBSCRIBED" } } },
                },
              },
            ],
          },
        },
      },
    });
    expect(noEmail.status).toBe(400);
    expect(errorsOf(noEmail)[0]?.source?.pointer).toBe(
      "/data/attributes/profiles/data/0/attributes/email",
    );
  });
});
