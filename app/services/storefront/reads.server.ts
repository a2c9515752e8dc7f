import { Prisma, type Member } from "@prisma/client";
import prisma from "~/db.server";
import {
  DEFAULT_PROGRAM_CONFIG,
  ProgramConfigSchema,
  type ProgramConfig,
} from "~/domain/program/index";
import { ReferralProgramSchema, type ReferralProgram } from "~/domain/referrals/rules";
import type { OwnedCodeFacts } from "~/domain/storefront/index";
import { RewardDefinitionSchema } from "~/domain/rewards/index";
import { MEMBER_COLUMNS } from "../members/repository.server";
import { HOLDING_STATES } from "../rewards/redemption/hold.server";
import type { CatalogReward } from "../rewards/catalog.server";

// Every storefront proxy request reads the same shop-wide rows and one member's rows; at storefront
// traffic (issue #7: p95 ≤ 50 ms at 100 requests/s on two cores) the cost was a dozen compiled
// queries and as many zod parses per request. Here it is two raw round trips. Program versions
// never change once saved, so a parsed config is kept per (shop, version), and a parsed reward per
// its stored definition: each request still reads the rows, so an answer is never stale.

/** What every shopper of a shop sees: the program in force, its currency, referrals, rewards. */
export interface StorefrontShop {
  currency: string;
  config: ProgramConfig;
  referrals: ReferralProgram;
  /** Enabled rewards, in catalog order (oldest first, then handle), as listRewards gives them. */
  rewards: CatalogReward[];
}

/** A member as the widget needs them: the row, their referral code, rewards they hold now. */
export interface StorefrontStanding {
  member: Member;
  referralCode: string | null;
  /** Held/issued/used redemptions per reward id (the catalog's per-member limits count them). */
  holdingByReward: Record<string, number>;
  /** The member's reward codes, newest first ("My rewards"). */
  codes: OwnedCodeFacts[];
}

/** How many codes "My rewards" lists: a shopper's recent ones; older used ones add nothing. */
export const OWNED_CODES_SHOWN = 25;

type ShopRow = {
  currency: string;
  version: number | null;
  config: unknown;
  referral: unknown;
  rewards: { id: string; definition: unknown }[];
};

export async function storefrontShop(shopId: string): Promise<StorefrontShop> {
  const [row] = await prisma.$queryRaw<ShopRow[]>`
    SELECT s.currency, pv.version, pv.config, rp.config AS referral,
      COALESCE((
        SELECT json_agg(json_build_object('id', r.id, 'definition', r.definition)
                        ORDER BY r."createdAt", r.handle)
        FROM "Reward" r WHERE r."shopId" = s.id AND r.enabled
      ), '[]'::json) AS rewards
    FROM "Shop" s
    LEFT JOIN LATERAL (
      SELECT version, config FROM "ProgramVersion" WHERE "shopId" = s.id ORDER BY version DESC LIMIT 1
    ) pv ON true
    LEFT JOIN "ReferralProgram" rp ON rp."shopId" = s.id
    WHERE s.id = ${shopId}::uuid`;
  if (!row) throw new Error(`no shop ${shopId}`);
  return {
    currency: row.currency,
    config: row.version === null ? DEFAULT_PROGRAM_CONFIG : programConfig(shopId, row),
    referrals: ReferralProgramSchema.parse(row.referral ?? {}),
    rewards: row.rewards.map(catalogReward),
  };
}

export async function storefrontStanding(
  shopId: string,
  customerId: bigint,
): Promise<StorefrontStanding | null> {
  const rows = await prisma.$queryRaw<
    (Member & {
      referralCode: string | null;
      holding: Record<string, number> | null;
      codes: OwnedCodeFacts[] | null;
    })[]
  >`
    SELECT ${MEMBER_COLUMNS},
      (SELECT c.code FROM "ReferralCode" c
        WHERE c."shopId" = "Member"."shopId" AND c."memberId" = "Member".id) AS "referralCode",
      (SELECT json_object_agg(h."rewardId", h.n) FROM (
         SELECT d."rewardId", count(*)::int AS n FROM "Redemption" d
         WHERE d."shopId" = "Member"."shopId" AND d."memberId" = "Member".id
           AND d.state IN (${Prisma.join(HOLDING_STATES)})
         GROUP BY d."rewardId") h) AS holding,
      (SELECT json_agg(o ORDER BY o."createdAt" DESC) FROM (
         SELECT d.code, d.state, d.source, d."rewardSnapshot" AS snapshot, d."valueMinor",
           d."expiresAt", d."createdAt" FROM "Redemption" d
         WHERE d."shopId" = "Member"."shopId" AND d."memberId" = "Member".id
           AND d.code IS NOT NULL AND d.state IN ('issued', 'used', 'expired')
         ORDER BY d."createdAt" DESC LIMIT ${OWNED_CODES_SHOWN}) o) AS codes
    FROM "Member"
    WHERE "shopId" = ${shopId}::uuid AND "customerId" = ${customerId}::bigint AND status = 'active'
    LIMIT 1`;
  const row = rows[0];
  if (!row) return null;
  const { referralCode, holding, codes, ...member } = row;
  return { member, referralCode, holdingByReward: holding ?? {}, codes: codes ?? [] };
}

const CACHE_LIMIT = 2000;
const parsedPrograms = new Map<string, ProgramConfig>();
const parsedRewards = new Map<string, CatalogReward>();

function remember<T>(cache: Map<string, T>, key: string, parse: () => T): T {
  const known = cache.get(key);
  if (known) return known;
  const value = parse();
  // Old keys are never read again (a newer version or updatedAt replaced them): drop them all
  // rather than track recency; refilling costs one parse per shop.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function programConfig(shopId: string, row: ShopRow): ProgramConfig {
  return remember(parsedPrograms, `${shopId}|${row.version}`, () =>
    ProgramConfigSchema.parse(row.config),
  );
}

function catalogReward(row: ShopRow["rewards"][number]): CatalogReward {
  // Keyed by the definition itself: two edits in the same millisecond still differ.
  return remember(parsedRewards, `${row.id}|${JSON.stringify(row.definition)}`, () => ({
    id: row.id,
    definition: RewardDefinitionSchema.parse(row.definition),
  }));
}
