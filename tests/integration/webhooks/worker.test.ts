import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getBoss } from "~/jobs/queues/boss.server";
import { registerWorkers } from "~/jobs/workers/index.server";
import { action as complianceAction } from "~/routes/webhooks.compliance";
import { callAction, TEST_SHOP, webhook } from "../../support/webhooks";

async function waitFor<T>(
  probe: () => Promise<T | null | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for the worker");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("job worker", () => {
  it("applies a queued webhook through pg-boss", async () => {
    // GIVEN a running worker
    await registerWorkers(await getBoss());

    // WHEN a compliance webhook arrives
    const response = await callAction(
      complianceAction,
      webhook("/webhooks/compliance", "customers/data_request", {
        shop_id: 1,
        shop_domain: TEST_SHOP,
        customer: { id: 4242 },
        data_request: { id: 4242 },
      }),
    );
    expect(response.status).toBe(200);

    // THEN the worker picks it up and applies it
    const request = await waitFor(() =>
      prisma.complianceRequest.findFirst({ where: { requestId: "4242" } }),
    );
    expect(request.completedAt).not.toBeNull();
    const delivery = await waitFor(() =>
      prisma.webhookDelivery.findFirst({
        where: { topic: "CUSTOMERS_DATA_REQUEST", processedAt: { not: null } },
      }),
    );
    expect(delivery.attempts).toBe(1);
  });
});
