/**
 * A bulk operation's result file, written as it is produced so a store with hundreds of thousands
 * of orders never becomes one string in memory. Lines are buffered per batch of root objects and
 * written with backpressure.
 *
 * Order (https://shopify.dev/docs/api/usage/bulk-operations/queries#the-jsonl-data-format): "The
 * order of each connection type is preserved and all nested connections appear after their
 * parents in the file." With `groupObjects: true` each child follows its parent directly
 * (https://shopify.dev/changelog/optional-groupobjects-argument-in-bulk-operations-mutations-that-offers-faster-and-more-reliable-job-execution).
 * Without it (the 2026-01+ default, https://shopify.dev/changelog/bulk-operations-group-objects-default-changed-to-false)
 * Shopify promises no grouping, so the stand-in writes every root object first, then every
 * nested object by nesting level: a reader that assumes "children follow their parent" fails
 * here as it would against Shopify.
 */
import { once } from "node:events";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";

export class JsonlFile {
  lines = 0;
  roots = 0;
  /** The most result text held in memory at once (bytes of UTF-16 text), for tests. */
  peakBuffered = 0;
  /** Pending text per output: index 0 is the file itself, 1 and 2 the nesting levels (ungrouped). */
  private readonly pending: string[] = [""];
  private readonly streams: fs.WriteStream[] = [];

  constructor(
    readonly path: string,
    private readonly grouped: boolean,
    /** Told the running counts after each flush (BulkOperation.objectCount is a running count). */
    private readonly progress: (lines: number, roots: number) => void = () => undefined,
  ) {}

  add(depth: number, line: Record<string, unknown>) {
    const output = this.grouped ? 0 : depth;
    this.pending[output] = (this.pending[output] ?? "") + JSON.stringify(line) + "\n";
    this.lines += 1;
    if (depth === 0) this.roots += 1;
  }

  async flush() {
    this.peakBuffered = Math.max(
      this.peakBuffered,
      this.pending.reduce((sum, text) => sum + (text?.length ?? 0) * 2, 0),
    );
    for (const [output, text] of this.pending.entries()) {
      if (!text) continue;
      this.pending[output] = "";
      const stream = this.stream(output);
      if (!stream.write(text)) await once(stream, "drain");
    }
    this.progress(this.lines, this.roots);
  }

  /** Writes what is pending, appends the nesting levels after the roots, and closes the file. */
  async close(): Promise<{ bytes: number }> {
    await this.flush();
    const main = this.stream(0);
    for (const [output, stream] of this.streams.entries()) {
      if (output === 0 || !stream) continue;
      stream.end();
      await once(stream, "close");
      await pipeline(fs.createReadStream(this.levelPath(output)), main, { end: false });
      fs.rmSync(this.levelPath(output), { force: true });
    }
    main.end();
    await once(main, "close");
    return { bytes: fs.statSync(this.path).size };
  }

  /** Drops what was written (a canceled or failed operation leaves no file). */
  async discard() {
    for (const stream of this.streams) {
      if (!stream) continue;
      stream.end();
      await once(stream, "close");
    }
    for (const output of this.streams.keys()) {
      fs.rmSync(output === 0 ? this.path : this.levelPath(output), { force: true });
    }
  }

  private stream(output: number): fs.WriteStream {
    let stream = this.streams[output];
    if (!stream) {
      stream = fs.createWriteStream(output === 0 ? this.path : this.levelPath(output));
      this.streams[output] = stream;
    }
    return stream;
  }

  private levelPath(output: number) {
    return `${this.path}.level${output}`;
  }
}

/**
 * Cuts the file after its first `keep` lines, for an operation that fails part-way
 * (`partialDataUrl`); returns how many of the kept lines are root objects.
 */
export async function truncateLines(path: string, keep: number): Promise<{ roots: number }> {
  let offset = 0;
  let kept = 0;
  let roots = 0;
  let line = "";
  for await (const chunk of fs.createReadStream(path, { encoding: "utf8" })) {
    for (const char of chunk as string) {
      if (kept >= keep) break;
      offset += Buffer.byteLength(char);
      if (char !== "\n") {
        line += char;
        continue;
      }
      kept += 1;
      if (!line.includes('"__parentId":')) roots += 1;
      line = "";
    }
    if (kept >= keep) break;
  }
  fs.truncateSync(path, offset);
  return { roots };
}
