// ESLint for every JavaScript file of the project (`make lint`, run by `make test` and `make check`): rtp_py's
// page side and snippets, the demo, the test pages and the bench. ESLint's recommended rules, browser globals.
import js from "@eslint/js";
import globals from "globals";

export default [
  {ignores: ["node_modules/**", "vendor/**", "dist/**", "demo/build/**", "test-results/**", "bench-results/**",
             ".venv/**"]},
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "script",
      globals: {...globals.browser},
    },
    rules: {
      // rtp_py catches what the page throws and carries on, on purpose (MicroPython cannot catch it).
      "no-empty": ["error", {allowEmptyCatch: true}],
      // ... and the pasted capture snippet names what it catches (an older browser needs the name).
      "no-unused-vars": ["error", {caughtErrors: "none"}],
    },
  },
  {
    // rtp_py's loader is a module: pages include it with <script type="module"> after PyScript's core.js.
    files: ["kit/loader.js"],
    languageOptions: {sourceType: "module"},
  },
  {
    // Node scripts of the tests and the bench.
    files: ["**/*.mjs"],
    languageOptions: {ecmaVersion: 2024, sourceType: "module", globals: {...globals.node}},
  },
];
