// Worker threads cannot load TypeScript, so the worker side of these tests
// (the worker entry, and fixtures importing "@asyncio-ts/threads") runs the
// built dist/ while the test files run src/. Build first when dist/ is
// missing or older than src/.
import { fileURLToPath } from "node:url";
import { buildIfStale } from "@asyncio-ts/test-support/build-if-stale";

export default function setup(): void {
  buildIfStale(fileURLToPath(new URL("..", import.meta.url)), "dist/worker.js");
}
