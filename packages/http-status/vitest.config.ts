import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["asyncio-ts-source"] },
  ssr: { resolve: { conditions: ["asyncio-ts-source"] } },
  // The CLI tests run the built command (dist/cli.js): build it first when stale.
  test: { name: "http-status", include: ["test/**/*.test.ts"], globalSetup: ["test/global-setup.ts"], testTimeout: 20_000 },
});
