import { z } from "zod";

/** The members list's sorts (URL `sort`), each backed by an index. */
export const MEMBER_SORTS = ["points", "lifetime", "joined", "activity"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

/**
 * The members list's URL: `?q=&sort=&direction=&after=|before=`. Anything unknown falls back to
 * the default rather than failing, since the URL is something a merchant may edit or bookmark.
 */
export const MemberListQuerySchema = z.object({
  search: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((value) => value || undefined)
    .catch(undefined),
  sort: z.enum(MEMBER_SORTS).catch("joined"),
  direction: z.enum(["asc", "desc"]).catch("desc"),
  after: z.string().max(300).optional().catch(undefined),
  before: z.string().max(300).optional().catch(undefined),
});
export type MemberListQuery = z.infer<typeof MemberListQuerySchema>;

export function parseMemberListQuery(url: URL): MemberListQuery {
  const get = (name: string) => url.searchParams.get(name) ?? undefined;
  return MemberListQuerySchema.parse({
    search: get("q"),
    sort: get("sort"),
    direction: get("direction"),
    after: get("after"),
    before: get("before"),
  });
}
