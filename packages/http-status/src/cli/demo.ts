import { checkMany } from "../check-many.js";
import { DEMO_SITES, DEMO_TIMEOUT, startDemoServer } from "../demo-server.js";
import type { StatusResult } from "../status-result.js";
import type { Colors } from "./colors.js";
import { tableFormatter } from "./format-table.js";

/**
 * `http-status --demo`: the guide's ten sites on a local server, checked one
 * at a time and then all at once, with both tables and the speed-up.
 */
export async function runDemo(write: (text: string) => void, colors: Colors): Promise<number> {
  const server = await startDemoServer();
  const [, port] = server.sockets[0].getsockname();
  const urls = DEMO_SITES.map((site) => `http://127.0.0.1:${port}${site.path}`);
  write(`The guide's ten sites, mimicked by a local server on 127.0.0.1:${port} (no network needed).\n`);
  write(`Each answers after a realistic delay; one never answers and is given up after ${DEMO_TIMEOUT} s.\n\n`);
  try {
    const options = { timeout: DEMO_TIMEOUT, retries: 0, order: "input" as const };
    write(colors.bold("1) One at a time (http-status --sequential):\n"));
    const sequential = await checkAll(urls, { ...options, concurrency: 1 }, write, colors);
    write(`   ${sequential.toFixed(1)} s for ${urls.length} sites\n\n`);
    write(colors.bold(`2) All at once (http-status -c ${urls.length}):\n`));
    const concurrent = await checkAll(urls, { ...options, concurrency: urls.length }, write, colors);
    write(`   ${concurrent.toFixed(1)} s for ${urls.length} sites\n\n`);
    write(
      colors.bold(`Speed-up: ${(sequential / concurrent).toFixed(1)}x`) +
        ` (${sequential.toFixed(1)} s vs ${concurrent.toFixed(1)} s; the guide: 5.6 s vs 1.4 s).\n` +
        "Concurrently, the whole check takes as long as the slowest site, not the sum of them all.\n",
    );
  } finally {
    server.close();
    server.closeClients();
    await server.waitClosed();
  }
  return 0;
}

async function checkAll(
  urls: string[],
  options: { timeout: number; retries: number; order: "input"; concurrency: number },
  write: (text: string) => void,
  colors: Colors,
): Promise<number> {
  const table = tableFormatter(colors);
  const start = performance.now();
  write(table.begin());
  const results: StatusResult[] = [];
  for await (const result of checkMany(urls, options)) {
    results.push(result);
    write(table.row(result));
  }
  write(table.end());
  return (performance.now() - start) / 1000;
}
