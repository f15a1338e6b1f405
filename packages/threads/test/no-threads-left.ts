// Every test file must end with no worker thread left: each pool is shut down
// (run() shuts down the default executor), so vitest exits by itself.
import { afterAll, expect } from "vitest";

afterAll(async () => {
  const live = (): string[] => process.getActiveResourcesInfo().filter((r) => r === "Worker" || r === "MessagePort");
  for (let i = 0; i < 100 && live().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(live(), "worker threads or ports still alive after this file's tests").toEqual([]);
});
