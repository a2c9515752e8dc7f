import { describe, expect, it } from "vitest";
import { APP_SCOPES, createTestAdminApi } from "./testing";

const CREATE = `mutation($webPixel: WebPixelInput!) {
  webPixelCreate(webPixel: $webPixel) { webPixel { id settings } userErrors { field message code } }
}`;
const UPDATE = `mutation($id: ID!, $webPixel: WebPixelInput!) {
  webPixelUpdate(id: $id, webPixel: $webPixel) { webPixel { id settings } userErrors { code } }
}`;

type Answer = {
  webPixel: { id: string; settings: string } | null;
  userErrors: { code: string }[];
};

const SHOP_ID = "5fe90a7b-9b07-45be-ad5c-78b2ec7eb3e9";
const settings = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ shopId: SHOP_ID, endpoint: "https://app.test/pixel/events", ...over });

describe("web pixels", () => {
  it("creates one pixel per app, checks its settings against the extension, and updates it", async () => {
    const api = createTestAdminApi();
    const create = async (value: string) =>
      (await api.gql(CREATE, { webPixel: { settings: value } })).body.data!
        .webPixelCreate as Answer;

    expect((await create(settings({ shopId: "short" }))).userErrors[0]?.code).toBe(
      "INVALID_SETTINGS",
    );
    expect((await create(settings({ extra: "x" }))).userErrors[0]?.code).toBe("INVALID_SETTINGS");
    expect((await create("not json")).userErrors[0]?.code).toBe("INVALID_SETTINGS");
    const created = await create(settings());
    expect(created.userErrors).toEqual([]);
    expect(JSON.parse(created.webPixel!.settings)).toMatchObject({ shopId: SHOP_ID });
    expect((await create(settings())).userErrors[0]?.code).toBe("TAKEN");

    const update = async (id: string) =>
      (
        await api.gql(UPDATE, {
          id,
          webPixel: { settings: settings({ endpoint: "https://b.test/p" }) },
        })
      ).body.data!.webPixelUpdate as Answer;
    expect((await update("gid://shopify/WebPixel/1")).userErrors[0]?.code).toBe("NOT_FOUND");
    const updated = await update(created.webPixel!.id);
    expect(JSON.parse(updated.webPixel!.settings).endpoint).toBe("https://b.test/p");
  });

  it("needs write_pixels and read_customer_events", async () => {
    const api = createTestAdminApi({
      grantedScopes: APP_SCOPES.filter((s) => s !== "write_pixels"),
    });
    const answer = await api.gql(CREATE, { webPixel: { settings: settings() } });
    expect(JSON.stringify(answer.body.errors)).toContain("ACCESS_DENIED");
  });
});
