import fs from "node:fs";

/**
 * Peak resident memory (MB) of a process and everything below it, sampled every 100 ms from
 * /proc until `stop()`: a worker's peak RSS, children included.
 */
export function sampleRss(rootPid: number) {
  let peak = 0;
  const sample = () => {
    const pids = descendants(rootPid);
    let total = 0;
    for (const pid of pids) {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        // exited between listing and reading
      }
    }
    peak = Math.max(peak, total);
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

function descendants(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]!) ?? []));
  return out;
}
