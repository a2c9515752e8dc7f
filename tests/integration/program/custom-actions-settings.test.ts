import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import * as bonusesRoute from "~/routes/app.settings.bonuses";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import { TEST_SHOP } from "../../support/webhooks";

// Custom actions are priced in Bonuses & birthdays (issue #23, ADR 0072): saved through the page's
// real route with signed admin requests, read back by its loader, refused with field errors in
// the staff member's language when two names would be one action for Flow.

let shopId: string;

beforeAll(async () => {
  await installTestShop();
  await load(); // The first admin request makes the shop.
  shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).id;
});

type Page = Awaited<ReturnType<typeof bonusesRoute.loader>>;

const versions = () => prisma.programVersion.count({ where: { shopId } });

async function load(path = "/app/settings/bonuses") {
  return dataOf(await callLoader(bonusesRoute.loader as never, await adminRequest(path))) as Page;
}

async function save(customActions: unknown[], path = "/app/settings/bonuses") {
  const page = await load();
  const draft = { bonuses: page.config.bonuses, goals: page.config.goals, customActions };
  return callRouteAction(
    bonusesRoute.action,
    await adminRequest(path, { draft: JSON.stringify(draft) }),
  );
}

describe("custom actions in Bonuses & birthdays", () => {
  it("saves each action's name, points, limit and period, and the page reads them back", async () => {
    const result = await save([
      { name: "Leave a product review", points: 50, limit: 3, period: "month" },
      { name: "Answer the survey", points: 0, limit: null, period: "ever" },
    ]);

    expect(result).toMatchObject({ ok: true, changed: ["bonuses"] });
    expect((await load()).config.customActions).toEqual([
      { name: "Leave a product review", points: 50, limit: 3, period: "month" },
      { name: "Answer the survey", points: 0, limit: null, period: "ever" },
    ]);
  });

  it("refuses two names that differ only in case or spaces, next to the second, saving nothing", async () => {
    const before = await versions();
    const actions = [
      { name: "Leave a review", points: 10, limit: null, period: "ever" },
      { name: " leave a  REVIEW", points: 20, limit: 1, period: "day" },
    ];

    const english = await save(actions);
    const french = await save(actions, "/app/settings/bonuses?locale=fr");

    expect(english.ok ? {} : english.errors).toEqual({
      "customActions.1.name":
        "Another custom action is already named “leave a  REVIEW” (case and spaces do not matter)",
    });
    expect(french.ok ? {} : french.errors).toEqual({
      "customActions.1.name":
        "Une autre action personnalisée s’appelle déjà « leave a  REVIEW » (majuscules et espaces ne comptent pas)",
    });
    expect(await versions()).toBe(before);
  });

  it("says what is wrong with a blank name, negative points or a zero limit, field by field", async () => {
    const before = await versions();

    // English again (the French answer above is remembered for this staff member).
    const result = await save(
      [{ name: "  ", points: -5, limit: 0, period: "week" }],
      "/app/settings/bonuses?locale=en",
    );

    expect(result.ok ? {} : result.errors).toEqual({
      "customActions.0.name": "Enter the action's name, as shoppers will read it",
      "customActions.0.points": "Give from 0 (off) to 1,000,000 points",
      "customActions.0.limit": "Enter a limit from 1 to 1,000, or leave it empty for no limit",
    });
    expect(await versions()).toBe(before);
  });
});
