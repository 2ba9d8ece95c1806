import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "models/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // The web UI runs in the browser, without a build step.
    files: ["web/**/*.js"],
    languageOptions: {
      globals: {
        document: "readonly",
        fetch: "readonly",
        URL: "readonly",
        Blob: "readonly",
        window: "readonly",
      },
    },
  },
  {
    files: ["bin/**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
