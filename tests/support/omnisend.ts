import { afterAll, beforeAll } from "vitest";
import prisma from "~/db.server";
import { clearEnvCache } from "~/env.server";
import {
  startOmnisendStandIn,
  type OmnisendStandIn,
  type OmnisendStandInOptions,
} from "../../sandbox/omnisend/server";

export const OMNISEND_KEY = "6512ab34cd56ef7890ab12cd-TestKeyForTheOmnisendStandIn0001";

/** One Omnisend stand-in for the test file, with the app pointed at it (OMNISEND_API_URL). */
export function omnisendStandIn(options: OmnisendStandInOptions = {}) {
  let standIn: OmnisendStandIn | undefined;
  beforeAll(async () => {
    standIn = await startOmnisendStandIn(options);
    process.env.OMNISEND_API_URL = standIn.url;
    clearEnvCache();
  });
  afterAll(async () => {
    await standIn?.close();
  });
  return () => {
    if (!standIn) throw new Error("Omnisend stand-in not started");
    return standIn;
  };
}

export function omnisendDeliveries(shopId: string) {
  return prisma.eventDelivery.findMany({
    where: { shopId, destination: "omnisend" },
    include: { event: { select: { type: true } } },
  });
}
