import type { ProgramConfig } from "~/domain/program";

/** What every daily step needs: the shop, its program and calendar, and the run's clock. */
export interface DailyContext {
  readonly shopId: string;
  /** The shop's IANA zone: every "day" in the program is a local day there. */
  readonly timeZone: string;
  readonly config: ProgramConfig;
  /** Injected, so tests (and a late retry) decide what "today" is. */
  readonly now: Date;
}
