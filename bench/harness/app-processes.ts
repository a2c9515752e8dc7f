import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { buildAppIfStale } from "../../sandbox/sandbox";

/** The app's fixed test credentials (the same as .env.example and tests/setup/env.ts). */
export const APP_CREDENTIALS = {
  SHOPIFY_API_KEY: "sandbox-loyalty-api-key",
  SHOPIFY_API_SECRET: "sandbox-loyalty-api-secret",
  ENCRYPTION_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
};

// The script runs in this one process, with tsx as a loader. tsx's CLI would run it in a child
// process of its own: a SIGKILL of the CLI leaves that child running as an orphan, so a "killed"
// worker went on applying deliveries (the worker-kill test never killed one).
const TSX_LOADER = ["--import", "tsx"];
export const LOG_DIR = path.resolve("bench/tmp");

/** A child process of the app (web server or worker), with its output captured to a log file. */
export interface AppProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** SIGKILL: no shutdown hooks, no graceful stop, as when a machine dies. */
  kill(): Promise<void>;
  /** SIGTERM, then wait for the exit (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

function launch(name: string, script: string, env: Record<string, string>): AppProcess {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const log = fs.createWriteStream(logFile);
  const child = spawn(process.execPath, [...TSX_LOADER, script], {
    env: { ...process.env, ...APP_CREDENTIALS, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: string[] = [];
  const capture = (chunk: Buffer) => {
    chunks.push(chunk.toString());
    log.write(chunk);
  };
  child.stdout?.on("data", capture);
  child.stderr?.on("data", capture);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => log.end());
  return {
    child,
    logFile,
    output: () => chunks.join(""),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, process: AppProcess) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) {
      throw new Error(`${what} exited early; see ${process.logFile}:\n${process.output()}`);
    }
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} not ready after 120 s; see ${process.logFile}`);
}

/**
 * `npm start` on `databaseUrl`: the built app (rebuilt when sources changed) behind the production
 * HTTP server, migrations applied, job workers off (they run in `startWorker`'s process).
 */
export async function startWebServer(options: {
  databaseUrl: string;
  name?: string;
  env?: Record<string, string>;
}) {
  buildAppIfStale(() => undefined);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const web = launch(options.name ?? "web", "server/start.ts", {
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    SHOPIFY_APP_URL: url,
    WORKERS: "off",
    ...options.env,
  });
  await waitFor(
    "the web server",
    async () => {
      try {
        return (await fetch(`${url}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    web,
  );
  return { ...web, url };
}

/** `npm run worker` on `databaseUrl`: every queue's workers in their own process. */
export async function startWorker(options: {
  databaseUrl: string;
  name?: string;
  env?: Record<string, string>;
}) {
  const worker = launch(options.name ?? "worker", "app/jobs/worker.ts", {
    DATABASE_URL: options.databaseUrl,
    SHOPIFY_APP_URL: "https://loyalty-app.test",
    LOG_LEVEL: "info",
    ...options.env,
  });
  await waitFor("the worker", () => worker.output().includes('"worker ready"'), worker);
  return worker;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
