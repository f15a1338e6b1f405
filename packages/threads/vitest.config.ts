import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["asyncio-ts-source"] },
  ssr: { resolve: { conditions: ["asyncio-ts-source"] } },
  // Tests start real worker threads, which run the built dist/ (see test/global-setup.ts).
  test: { name: "threads", include: ["test/**/*.test.ts"], globalSetup: ["test/global-setup.ts"], setupFiles: ["test/no-threads-left.ts"], testTimeout: 20_000 },
});
