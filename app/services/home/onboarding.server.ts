import prisma from "~/db.server";
import type { OnboardingFacts } from "~/domain/onboarding/checklist";
import { programInForce } from "../program/versions.server";

export async function onboardingState(shopId: string) {
  const [program, enabledRewards, klaviyo, state, imported] = await Promise.all([
    programInForce(prisma, shopId),
    prisma.reward.count({ where: { shopId, enabled: true } }),
    prisma.klaviyoConnection.findUnique({ where: { shopId }, select: { status: true } }),
    prisma.onboardingState.findUnique({ where: { shopId } }),
    prisma.historyImport.findFirst({ where: { shopId, state: "done" }, select: { id: true } }),
  ]);
  const facts: OnboardingFacts = {
    programSaved: program.version > 0,
    tierCount: program.config.tiers.length,
    enabledRewards,
    // The app does not read the shop's themes (no read_themes scope), so it cannot tell.
    themeEmbedEnabled: null,
    klaviyoConnected: klaviyo?.status === "connected",
    flowViewed: state?.flowViewedAt != null,
    historyImported: imported !== null,
  };
  return { facts, dismissed: state?.dismissedAt != null };
}

export async function dismissOnboarding(shopId: string, dismissed: boolean) {
  const dismissedAt = dismissed ? new Date() : null;
  await prisma.onboardingState.upsert({
    where: { shopId },
    create: { shopId, dismissedAt },
    update: { dismissedAt },
  });
}

/** The Flow page was opened: its triggers, actions and example workflows were seen. */
export async function recordFlowViewed(shopId: string) {
  await prisma.onboardingState.upsert({
    where: { shopId },
    create: { shopId, flowViewedAt: new Date() },
    update: {},
  });
  await prisma.onboardingState.updateMany({
    where: { shopId, flowViewedAt: null },
    data: { flowViewedAt: new Date() },
  });
}
