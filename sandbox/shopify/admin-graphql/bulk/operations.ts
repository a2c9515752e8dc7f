/**
 * The shop's bulk operations (https://shopify.dev/docs/api/usage/bulk-operations/queries): records
 * as BulkOperation reports them, their result files, and when they finish. It lives on the store
 * (`store.adminApi.bulk`) so every handler built on the store (tests build one per request) sees
 * the same operations.
 *
 * Operations do not finish by themselves unless asked: tests call `completeAll()` (or
 * `startAll()` to observe RUNNING), the sandbox calls `completeAutomatically(ms)`. Finishing sends
 * `bulk_operations/finish` through `onFinish` listeners (bulk/finish-webhook.ts).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonlFile, truncateLines } from "./jsonl-file";

export type BulkOperationStatus =
  "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED" | "EXPIRED";

/** BulkOperationErrorCode in the 2026-10 schema. */
export type BulkOperationErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";

export interface BulkOperationRecord {
  readonly id: number;
  readonly type: "QUERY";
  readonly query: string;
  readonly groupObjects: boolean;
  readonly createdAt: Date;
  status: BulkOperationStatus;
  errorCode: BulkOperationErrorCode | null;
  /** Set when the operation completes (the schema: "When the bulk operation was successfully completed"). */
  completedAt: Date | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  partialDataUrl: string | null;
  /** Stand-in only, never served: why the stand-in failed the operation. */
  failure: string | null;
  /** Stand-in only: the most result text it held in memory at once while writing the file. */
  peakBufferedBytes: number;
}

export type BulkJobOutcome =
  { ok: true } | { ok: false; errorCode: BulkOperationErrorCode; failure: string };

/** Produces the operation's lines; checks `canceled()` between batches. */
export type BulkJob = (file: JsonlFile, canceled: () => boolean) => Promise<BulkJobOutcome>;

/**
 * What the next operation(s) to finish do instead of completing, in the order injected:
 * `failed` (FAILED, no data), `partial` (FAILED after `afterObjects` lines, served at
 * `partialDataUrl`), `canceled` (CANCELED by Shopify, as stalled operations can be).
 */
export interface BulkFault {
  kind: "failed" | "partial" | "canceled";
  /** FAILED's errorCode; INTERNAL_SERVER_ERROR by default. */
  errorCode?: BulkOperationErrorCode;
  /** `partial` only: how many lines the partial file keeps (default: half, at least one). */
  afterObjects?: number;
  times?: number;
  /** Only operations whose query contains this text (default: the next to finish, whatever it is). */
  queryIncludes?: string;
}

interface Internals {
  job: BulkJob;
  origin: string;
  clock: () => number;
  signature: string;
  file: string | null;
  finishing: Promise<void> | null;
}

const IN_PROGRESS: readonly BulkOperationStatus[] = ["CREATED", "RUNNING", "CANCELING"];
export const BULK_RESULT_PATH = "/__stand-in/bulk-operations/";

const directories = new Set<string>();
process.once("exit", () => {
  for (const dir of directories) fs.rmSync(dir, { recursive: true, force: true });
});

export class BulkOperations {
  readonly operations = new Map<number, BulkOperationRecord>();
  private readonly internals = new Map<number, Internals>();
  private readonly faults: (BulkFault & { left: number })[] = [];
  private readonly listeners = new Set<(operation: BulkOperationRecord) => unknown>();
  private autoCompleteMs: number | null = null;
  private dir: string | null = null;

  constructor(private readonly newId: () => number) {}

  get(id: number): BulkOperationRecord | undefined {
    return this.operations.get(id);
  }

  /** Operations of `type` still counting against the concurrency limit. */
  inProgress(type: "QUERY" | "MUTATION" = "QUERY"): BulkOperationRecord[] {
    return [...this.operations.values()].filter(
      (op) => op.type === type && IN_PROGRESS.includes(op.status),
    );
  }

  create(input: {
    query: string;
    groupObjects: boolean;
    createdAt: Date;
    origin: string;
    clock: () => number;
    job: BulkJob;
  }): BulkOperationRecord {
    const record: BulkOperationRecord = {
      id: this.newId(),
      type: "QUERY",
      query: input.query,
      groupObjects: input.groupObjects,
      createdAt: input.createdAt,
      status: "CREATED",
      errorCode: null,
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      partialDataUrl: null,
      failure: null,
      peakBufferedBytes: 0,
    };
    this.operations.set(record.id, record);
    this.internals.set(record.id, {
      job: input.job,
      origin: input.origin,
      clock: input.clock,
      signature: randomBytes(16).toString("hex"),
      file: null,
      finishing: null,
    });
    this.schedule(record.id);
    return record;
  }

  /** bulkOperationCancel: CANCELING now, CANCELED when the operation next gets to run. */
  cancel(id: number) {
    const record = this.operations.get(id);
    if (!record || !["CREATED", "RUNNING"].includes(record.status)) return;
    record.status = "CANCELING";
    this.schedule(id);
  }

  /** CREATED → RUNNING without producing anything yet, to observe a running operation. */
  startAll() {
    for (const op of this.inProgress()) if (op.status === "CREATED") op.status = "RUNNING";
  }

  /** Finishes every operation in progress (completing, failing or canceling it) and notifies. */
  async completeAll(): Promise<BulkOperationRecord[]> {
    return Promise.all(this.inProgress().map((op) => this.complete(op.id)));
  }

  async complete(id: number): Promise<BulkOperationRecord> {
    const record = this.operations.get(id);
    const internals = this.internals.get(id);
    if (!record || !internals) throw new Error(`no bulk operation ${id}`);
    if (!IN_PROGRESS.includes(record.status)) return record;
    internals.finishing ??= this.finish(record, internals);
    await internals.finishing;
    return record;
  }

  injectFault(fault: BulkFault) {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Called with each operation that finishes (completed, failed or canceled); returns an unsubscribe. */
  onFinish(listener: (operation: BulkOperationRecord) => unknown): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The sandbox's mode: every operation finishes `ms` after it is created (null: only when asked). */
  completeAutomatically(ms: number | null) {
    this.autoCompleteMs = ms;
    if (ms !== null) for (const op of this.inProgress()) this.schedule(op.id);
  }

  /** The file behind a served URL, when the signature is the operation's. */
  resultFile(id: number, kind: "result" | "partial", signature: string | null) {
    const record = this.operations.get(id);
    const internals = this.internals.get(id);
    const url = kind === "result" ? record?.url : record?.partialDataUrl;
    if (!url || !internals?.file || signature !== internals.signature) return null;
    return fs.existsSync(internals.file) ? internals.file : null;
  }

  /** Deletes the result files (also done when the process exits). */
  dispose() {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    if (this.dir) directories.delete(this.dir);
    this.dir = null;
  }

  private schedule(id: number) {
    if (this.autoCompleteMs === null) return;
    const timer = setTimeout(() => {
      this.complete(id).catch((error: unknown) => console.error("bulk operation", id, error));
    }, this.autoCompleteMs);
    timer.unref();
  }

  private takeFault(record: BulkOperationRecord): BulkFault | undefined {
    const index = this.faults.findIndex(
      (fault) => fault.queryIncludes === undefined || record.query.includes(fault.queryIncludes),
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private async finish(record: BulkOperationRecord, internals: Internals) {
    if (record.status === "CANCELING") return this.settle(record, internals, "CANCELED");
    const fault = this.takeFault(record);
    record.status = "RUNNING";
    if (fault?.kind === "canceled") return this.settle(record, internals, "CANCELED");
    if (fault?.kind === "failed") {
      record.errorCode = fault.errorCode ?? "INTERNAL_SERVER_ERROR";
      return this.settle(record, internals, "FAILED");
    }
    const file = new JsonlFile(this.filePath(record.id), record.groupObjects, (lines, roots) => {
      record.objectCount = lines;
      record.rootObjectCount = roots;
    });
    // A function, not a comparison: bulkOperationCancel can change the status while the job runs.
    const canceled = () => record.status === "CANCELING";
    let outcome: BulkJobOutcome;
    try {
      outcome = await internals.job(file, canceled);
    } catch (error) {
      outcome = { ok: false, errorCode: "INTERNAL_SERVER_ERROR", failure: String(error) };
    }
    if (canceled() || !outcome.ok) {
      await file.discard();
      if (canceled()) return this.settle(record, internals, "CANCELED");
      if (!outcome.ok) {
        record.errorCode = outcome.errorCode;
        record.failure = outcome.failure;
      }
      return this.settle(record, internals, "FAILED");
    }
    const { bytes } = await file.close();
    internals.file = file.path;
    record.peakBufferedBytes = file.peakBuffered;
    record.objectCount = file.lines;
    record.rootObjectCount = file.roots;
    const base = `${internals.origin}${BULK_RESULT_PATH}${record.id}`;
    if (fault?.kind === "partial") {
      const keep = fault.afterObjects ?? Math.max(1, Math.floor(file.lines / 2));
      record.rootObjectCount = (await truncateLines(file.path, keep)).roots;
      record.objectCount = Math.min(keep, file.lines);
      record.errorCode = fault.errorCode ?? "INTERNAL_SERVER_ERROR";
      record.partialDataUrl = `${base}/partial.jsonl?signature=${internals.signature}`;
      return this.settle(record, internals, "FAILED");
    }
    // "If the query produced no results, then the url field will return null."
    // (https://shopify.dev/docs/api/usage/bulk-operations/queries#step-3-retrieve-your-data)
    if (file.lines > 0) {
      record.url = `${base}/result.jsonl?signature=${internals.signature}`;
      record.fileSize = bytes;
    }
    return this.settle(record, internals, "COMPLETED");
  }

  private async settle(
    record: BulkOperationRecord,
    internals: Internals,
    status: "COMPLETED" | "FAILED" | "CANCELED",
  ) {
    record.status = status;
    if (status === "COMPLETED") {
      record.completedAt = new Date(Math.max(record.createdAt.getTime(), internals.clock()));
    }
    for (const listener of this.listeners) {
      try {
        await listener(record);
      } catch (error) {
        console.error("bulk_operations/finish listener failed", error);
      }
    }
  }

  private filePath(id: number) {
    if (!this.dir) {
      this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "shopify-stand-in-bulk-"));
      directories.add(this.dir);
    }
    return path.join(this.dir, `${id}.jsonl`);
  }
}
