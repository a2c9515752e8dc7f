import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_PGLITE_DIR, parseDatabaseUrl } from "./database-url";

describe("parseDatabaseUrl", () => {
  it("defaults to the embedded database under .data/", () => {
    expect(parseDatabaseUrl(undefined)).toEqual({
      kind: "pglite",
      dataDir: path.resolve(DEFAULT_PGLITE_DIR),
    });
  });

  it("reads a PostgreSQL server URL", () => {
    const url = "postgresql://app:secret@db.internal:5432/loyalty";
    expect(parseDatabaseUrl(url)).toEqual({ kind: "postgres", connectionString: url });
  });

  it("reads an embedded folder and the in-memory form", () => {
    expect(parseDatabaseUrl("pglite:.data/other")).toEqual({
      kind: "pglite",
      dataDir: path.resolve(".data/other"),
    });
    expect(parseDatabaseUrl("pglite:memory")).toEqual({ kind: "pglite", dataDir: undefined });
    expect(parseDatabaseUrl("pglite:snapshot:.cache/db.tar.gz")).toEqual({
      kind: "pglite",
      dataDir: undefined,
      snapshot: path.resolve(".cache/db.tar.gz"),
    });
  });

  it("refuses anything else without echoing credentials", () => {
    expect(() => parseDatabaseUrl("mysql://root:hunter2@localhost/db")).toThrow(/mysql:…/);
    expect(() => parseDatabaseUrl("mysql://root:hunter2@localhost/db")).not.toThrow(/hunter2/);
  });
});
