import type { Job } from "pg-boss";
import { describe, expect, it } from "vitest";
import { settleEach } from "./settle";

const job = (id: string): Job<{ n: number }> =>
  ({ id, name: "q", data: { n: Number(id) } }) as Job<{ n: number }>;

describe("settleEach", () => {
  it("fails only the job that threw, completes the rest, and runs them concurrently", async () => {
    // GIVEN three jobs, the second of which throws, each taking 50 ms
    const started = performance.now();
    const results = await settleEach([job("1"), job("2"), job("3")], async ({ data }) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (data.n === 2) throw new Error("database went away");
    });

    // THEN each is settled on its own, and the batch took one job's time, not three
    expect(results).toEqual([
      { id: "1", status: "completed" },
      { id: "2", status: "failed", output: { message: "database went away" } },
      { id: "3", status: "completed" },
    ]);
    expect(performance.now() - started).toBeLessThan(140);
  });
});
