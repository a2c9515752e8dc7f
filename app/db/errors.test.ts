import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { isLockConflict, retryOnLockConflict } from "./errors";

const deadlockInRawQuery = new Error(
  "Invalid `prisma.$queryRaw()` invocation:\n\nRaw query failed. Code: `40P01`. Message: `deadlock detected`",
);

describe("lock conflicts", () => {
  it("recognises PostgreSQL's deadlock and serialization failures however Prisma reports them", () => {
    expect(isLockConflict(deadlockInRawQuery)).toBe(true);
    expect(isLockConflict({ code: "40001" })).toBe(true);
    expect(isLockConflict(new Error("wrapped", { cause: { originalCode: "40P01" } }))).toBe(true);
    const p2034 = new Prisma.PrismaClientKnownRequestError("write conflict or deadlock", {
      code: "P2034",
      clientVersion: "test",
    });
    expect(isLockConflict(p2034)).toBe(true);
    expect(isLockConflict(new Error("Code: `23505`. duplicate key"))).toBe(false);
    expect(isLockConflict(null)).toBe(false);
  });

  it("runs the transaction again after a conflict, and gives up after the last attempt", async () => {
    let calls = 0;
    const result = await retryOnLockConflict(async () => {
      calls += 1;
      if (calls < 3) throw deadlockInRawQuery;
      return "committed";
    });
    expect({ result, calls }).toEqual({ result: "committed", calls: 3 });

    calls = 0;
    await expect(
      retryOnLockConflict(async () => {
        calls += 1;
        throw deadlockInRawQuery;
      }, 2),
    ).rejects.toBe(deadlockInRawQuery);
    expect(calls).toBe(2);
  });

  it("does not retry any other error", async () => {
    let calls = 0;
    const bad = new Error("invalid payload");
    await expect(
      retryOnLockConflict(async () => {
        calls += 1;
        throw bad;
      }),
    ).rejects.toBe(bad);
    expect(calls).toBe(1);
  });
});
