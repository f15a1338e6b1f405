import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["asyncio-ts-source"] },
  ssr: { resolve: { conditions: ["asyncio-ts-source"] } },
  test: { name: "subprocess", include: ["test/**/*.test.ts"] },
});
