import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import * as rewardsRoute from "~/routes/app.settings.rewards";
import { saveProgram } from "~/services/program/versions.server";
import { ensureShop } from "~/services/shops/ensure.server";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import { TEST_SHOP } from "../../support/webhooks";

beforeAll(async () => {
  await installTestShop();
});

const reward = {
  type: "fixed_amount",
  handle: "five-off",
  name: "$5 off",
  pointsCost: 500,
  amountMinor: 500,
};

async function post(form: Record<string, string>) {
  return callRouteAction(rewardsRoute.action, await adminRequest("/app/settings/rewards", form));
}

describe("a reward's tier restriction", () => {
  it("limits a reward only to tiers the program has", async () => {
    const shop = await ensureShop(prisma, TEST_SHOP);
    await prisma.$transaction((tx) =>
      saveProgram(
        tx,
        shop.id,
        {
          tiers: [
            {
              id: "gold",
              name: "Gold",
              threshold: { kind: "lifetime_points", points: 1000 },
              earnMultiplier: 1,
              entryBonusPoints: 0,
            },
          ],
        },
        "test",
      ),
    );
    const page = dataOf(
      await callLoader(rewardsRoute.loader as never, await adminRequest("/app/settings/rewards")),
    ) as Awaited<ReturnType<typeof rewardsRoute.loader>>;
    expect(page.tiers).toEqual([{ id: "gold", name: "Gold" }]);
    const ghost = await post({
      intent: "create",
      draft: JSON.stringify({ ...reward, eligibleTierIds: ["platinum"] }),
    });
    expect(ghost).toEqual({
      ok: false,
      errors: { eligibleTierIds: expect.stringContaining("can never be redeemed") },
    });
    const gold = await post({
      intent: "create",
      draft: JSON.stringify({ ...reward, eligibleTierIds: ["gold"] }),
    });
    expect(gold).toMatchObject({ ok: true });
  });
});
