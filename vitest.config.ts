import { defineConfig } from "vitest/config";

// The real-browser suite (test/browser, headless Chromium) runs with `npm run test:browser`;
// `npm test` leaves it out unless GONKA_BROWSER_TESTS is set.
const browser = process.env.GONKA_BROWSER_TESTS ? [] : ["test/browser/**"];

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...browser],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
