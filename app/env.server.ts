import { z } from "zod";

// Validated once at boot: a missing or malformed setting stops the process with a message naming
// the variable, never with an undefined deep inside a request. Values are never logged.
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHOPIFY_API_KEY: z.string().min(1),
    SHOPIFY_API_SECRET: z.string().min(1),
    SHOPIFY_APP_URL: z.url(),
    /** Comma-separated; when unset the scopes in shopify.app.toml (Shopify-managed install) apply. */
    SCOPES: z.string().optional(),
    /** 32 random bytes, base64: encrypts third-party credentials at rest (AES-256-GCM). */
    ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded"),
    /** "inline" runs the job workers inside the web process (dev, demo, PGlite); "off" leaves them to `npm run worker`. */
    WORKERS: z.enum(["inline", "off"]).optional(),
    /** Klaviyo's API origin; only the sandbox and tests point it elsewhere (the local stand-in). */
    KLAVIYO_API_URL: z.url().default("https://a.klaviyo.com"),
    /** Omnisend's API base (version in a header); only the sandbox and tests point it elsewhere. */
    OMNISEND_API_URL: z.url().default("https://api.omnisend.com/api"),
    /**
     * A Klaviyo OAuth app (listed apps only): with both set, merchants can connect with "Connect with
     * Klaviyo" instead of pasting a private key.
     */
    KLAVIYO_CLIENT_ID: z.string().min(1).optional(),
    KLAVIYO_CLIENT_SECRET: z.string().min(1).optional(),
    /** Where merchants authorize the app; only the sandbox and tests point it elsewhere. */
    KLAVIYO_AUTHORIZE_URL: z.url().default("https://www.klaviyo.com/oauth/authorize"),
    /**
     * Shopify admin's origin: the login form sends a merchant who opened the app outside admin to
     * the app inside their admin here. Only the sandbox points it elsewhere (its admin stand-in).
     */
    SHOPIFY_ADMIN_URL: z.url().default("https://admin.shopify.com"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    PORT: z.coerce.number().int().positive().default(3000),
  })
  .refine((e) => !e.KLAVIYO_CLIENT_ID === !e.KLAVIYO_CLIENT_SECRET, {
    path: ["KLAVIYO_CLIENT_SECRET"],
    message: "KLAVIYO_CLIENT_ID and KLAVIYO_CLIENT_SECRET go together",
  });

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid environment (see .env.example):\n${problems}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The process environment, validated on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Forget the validated environment; for tests that start a stand-in after the app was imported. */
export function clearEnvCache() {
  cached = undefined;
}
