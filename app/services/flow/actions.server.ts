import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { ensureShop } from "../shops/ensure.server";

export interface FlowActionAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Runs a Flow action once per action_run_id: a resend (Flow retries until it sees a 200) gets the
 * first answer back. Only final answers (2xx/4xx) are kept; a 5xx is not, so the retry runs again
 * (the effect itself is idempotent on the same run id, so a half-finished first try is harmless).
 */
export async function runFlowActionOnce(
  shopDomain: string,
  actionRunId: string,
  handle: string,
  run: (shopId: string) => Promise<FlowActionAnswer>,
): Promise<FlowActionAnswer> {
  const shop = await prisma.$transaction((tx) => ensureShop(tx, shopDomain));
  const previous = await prisma.flowActionRun.findUnique({
    where: { shopId_actionRunId: { shopId: shop.id, actionRunId } },
  });
  if (previous)
    return { status: previous.status, body: previous.response as Record<string, unknown> };
  const answer = await run(shop.id);
  if (answer.status < 500) {
    await prisma.flowActionRun.createMany({
      data: {
        shopId: shop.id,
        actionRunId,
        handle,
        status: answer.status,
        response: answer.body as Prisma.InputJsonValue,
      },
      skipDuplicates: true,
    });
  }
  return answer;
}
