// Fixed, safe values for every test process (the same as .env.example). A test that needs a
// database imports tests/setup/database.ts, which points DATABASE_URL at a fresh one.
process.env.SHOPIFY_API_KEY ??= "sandbox-loyalty-api-key";
process.env.SHOPIFY_API_SECRET ??= "sandbox-loyalty-api-secret";
process.env.SHOPIFY_APP_URL ??= "https://loyalty-app.test";
process.env.ENCRYPTION_KEY ??= "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
process.env.LOG_LEVEL ??= "error";
process.env.WORKERS ??= "off"; // tests drive jobs explicitly; the sandbox runs them inline
