/**
 * A list's members: Get Profiles for List (paged by cursor, at most 100 a page) and Remove
 * Profiles from List (at most 1,000 a call). Removing only ends list membership: the profile's
 * consent and subscriptions stay as they are, as Klaviyo documents.
 */
import type { AccountState } from "./account-state";
import { sameEmail } from "./account-state";
import {
  HttpError,
  collectionLinks,
  decodeCursor,
  invalidInput,
  invalidParameter,
  parseFilter,
} from "./jsonapi";
import type { JsonObject, StoredList, StoredProfile } from "./model";
import { asObject } from "./profiles";
import type { RouteContext, RouteResult } from "./routes";
import { profileResource } from "./serializers";

export const LIST_MEMBERS_MAX_PAGE_SIZE = 100;
export const LIST_MEMBERS_DEFAULT_PAGE_SIZE = 20;
export const MAX_LIST_REMOVALS = 1000;

function findList(state: AccountState, id: string): StoredList {
  const list = state.lists.get(id);
  if (!list) {
    throw new HttpError([
      {
        status: 404,
        code: "not_found",
        title: "Not found.",
        detail: `A list with id ${id} does not exist.`,
        parameter: "id",
      },
    ]);
  }
  return list;
}

function pageSize(raw: string | null): number {
  const size = raw === null ? LIST_MEMBERS_DEFAULT_PAGE_SIZE : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > LIST_MEMBERS_MAX_PAGE_SIZE) {
    throw new HttpError([
      invalidParameter(
        "page[size]",
        `page[size] must be between 1 and ${LIST_MEMBERS_MAX_PAGE_SIZE}.`,
      ),
    ]);
  }
  return size;
}

/** Sparse fieldsets: only the named attributes (a dotted name keeps its top-level attribute). */
function sparse(attributes: JsonObject, fields: string | null): JsonObject {
  if (fields === null || fields === "") return attributes;
  const keep = new Set(fields.split(",").map((f) => f.trim().split(".")[0]));
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => keep.has(key)));
}

export function getProfilesForList(ctx: RouteContext): RouteResult {
  const list = findList(ctx.state, ctx.params.id ?? "");
  const query = ctx.url.searchParams;
  const size = pageSize(query.get("page[size]"));
  const conditions = parseFilter(query.get("filter"), {
    email: ["equals", "any"],
    phone_number: ["equals", "any"],
  });
  const sort = query.get("sort");
  if (sort !== null && sort !== "joined_group_at" && sort !== "-joined_group_at") {
    throw new HttpError([invalidParameter("sort", `'${sort}' is not a valid sort field.`)]);
  }
  // A Set keeps insertion order: the order profiles joined the list.
  let members = [...list.profile_ids].flatMap((id) => {
    const profile = ctx.state.profiles.get(id);
    return profile ? [profile] : [];
  });
  members = members.filter((p) =>
    conditions.every((c) =>
      c.field === "email"
        ? c.values.some((v) => sameEmail(p.email, v))
        : p.phone_number !== null && c.values.includes(p.phone_number),
    ),
  );
  if (sort === "-joined_group_at") members.reverse();
  const offset = decodeCursor(query.get("page[cursor]"));
  const extra = new Set((query.get("additional-fields[profile]") ?? "").split(","));
  const fields = query.get("fields[profile]");
  const data = members.slice(offset, offset + size).map((profile: StoredProfile) => {
    const resource = profileResource(profile, ctx.base, extra);
    const attributes = {
      ...asObject(resource.attributes),
      joined_group_at: list.joined_at.get(profile.id) ?? null,
    };
    return { ...resource, attributes: sparse(attributes, fields) };
  });
  return {
    status: 200,
    body: { data, links: collectionLinks(ctx.url, ctx.base, offset, size, members.length) },
  };
}

export function removeProfilesFromList(ctx: RouteContext): RouteResult {
  const list = findList(ctx.state, ctx.params.id ?? "");
  const data = Array.isArray(ctx.body.data) ? ctx.body.data : [];
  if (data.length > MAX_LIST_REMOVALS) {
    throw new HttpError([
      invalidInput(
        "/data",
        `Accepts at most ${MAX_LIST_REMOVALS} profiles per request (got ${data.length}).`,
      ),
    ]);
  }
  for (const item of data) {
    const id = String(asObject(item).id);
    list.profile_ids.delete(id);
    list.joined_at.delete(id);
  }
  list.updated = ctx.state.isoNow();
  return { status: 204 };
}
