import type { Benchmark } from "../harness/types";
import { admin } from "./admin";
import { importHistory } from "./import";
import { ingest } from "./ingest";
import { klaviyo } from "./klaviyo";
import { omnisend } from "./omnisend";
import { recompute } from "./recompute";
import { storefront } from "./storefront";

/**
 * Every benchmark `npm run bench` knows, in the order they run. Adding one (recompute, Klaviyo
 * drain, storefront proxy latency) is one file exporting a Benchmark, plus its line here.
 */
export const BENCHMARKS: readonly Benchmark[] = [
  ingest,
  klaviyo,
  omnisend,
  storefront,
  admin,
  recompute,
  importHistory,
];
