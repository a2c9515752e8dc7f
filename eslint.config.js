import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/",
      ".data/",
      "node_modules/",
      "coverage/",
      "tests/e2e/output/",
      "bench/tmp/",
      // Built from storefront/loyalty-widget.js (npm run build:widget), which is linted.
      "extensions/loyalty-theme/assets/loyalty-widget.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error", "info"] }],
    },
  },
  {
    // Domain code is pure: no I/O, no framework, no database (docs/architecture).
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "@prisma/*",
            "@shopify/*",
            "klaviyo-api",
            "pg-boss",
            "node:*",
            "~/db*",
            "*.server",
          ],
        },
      ],
    },
  },
);
