import { defineConfig } from "vitest/config";

// One project per package; tests import siblings through the "asyncio-ts-source"
// condition, so they run against src/ without a build.
export default defineConfig({
  resolve: { conditions: ["asyncio-ts-source"] },
  ssr: { resolve: { conditions: ["asyncio-ts-source"] } },
  test: {
    projects: ["packages/*", "examples"],
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
