// Builds the package (dist/cli.js, the `http-status` command) before the CLI
// tests, when the build is missing or older than the sources.
import { fileURLToPath } from "node:url";
import { buildIfStale } from "@asyncio-ts/test-support/build-if-stale";

export default function setup(): void {
  buildIfStale(fileURLToPath(new URL("..", import.meta.url)), "dist/cli.js");
}
