type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const configured = process.env.LOG_LEVEL as Level | undefined;
  return ORDER[configured ?? "info"] ?? ORDER.info;
}

/**
 * One JSON line per event. Callers pass ids and counts, never payloads, tokens or keys: the only
 * defence against a secret in the logs is not handing it to the logger.
 */
function write(level: Level, message: string, fields: Record<string, unknown> = {}) {
  if (ORDER[level] < threshold()) return;
  const line = JSON.stringify(
    { level, time: new Date().toISOString(), message, ...fields },
    (_k, v) => (typeof v === "bigint" ? v.toString() : v),
  );
  if (level === "error" || level === "warn") console.error(line);
  else console.info(line);
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
