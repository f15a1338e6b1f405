import { startServer, type Server, type StreamReader, type StreamWriter } from "@asyncio-ts/streams";
import { sleep, type Future } from "@asyncio-ts/tasks";

/** One of the demo's ten sites: what it answers, and after how long. */
export interface DemoSite {
  /** The path on the demo server, named after the site it stands for. */
  readonly path: string;
  /** The status line's code and reason, or null for a site that never answers. */
  readonly status: number | null;
  readonly reason: string;
  /** Seconds before the answer. */
  readonly delay: number;
  readonly location?: string;
}

/**
 * The guide's ten sites, offline: realistic delays and statuses (200, 301,
 * 302, 404, 500, and one that never answers). The delays add up to about 4.2 s and
 * the silent site is given up after `DEMO_TIMEOUT`: 5.6 s one after the
 * other, 1.4 s (the slowest) all at once — the guide's figures.
 */
export const DEMO_SITES: readonly DemoSite[] = [
  { path: "/www.google.com", status: 200, reason: "OK", delay: 0.3 },
  { path: "/www.python.org", status: 200, reason: "OK", delay: 0.5 },
  { path: "/github.com/old-repo", status: 301, reason: "Moved Permanently", delay: 0.4, location: "https://github.com/new-repo" },
  { path: "/www.wikipedia.org", status: 200, reason: "OK", delay: 0.6 },
  { path: "/blog.example.com/2019", status: 302, reason: "Found", delay: 0.3, location: "/blog.example.com/archive" },
  { path: "/stackoverflow.com", status: 200, reason: "OK", delay: 0.7 },
  { path: "/docs.python.org/missing-page", status: 404, reason: "Not Found", delay: 0.4 },
  { path: "/api.example.com/broken", status: 500, reason: "Internal Server Error", delay: 0.5 },
  { path: "/www.amazon.com", status: 200, reason: "OK", delay: 0.45 },
  { path: "/slow.example.net", status: null, reason: "", delay: Infinity },
];

/** The demo's per-request timeout: the silent site is given up after this long. */
export const DEMO_TIMEOUT = 1.4;

/**
 * @internal Starts the demo server on 127.0.0.1 (a free port), built on
 * `startServer`: HTTP/1.1, one request per connection.
 */
export function startDemoServer(): Future<Server> {
  const sites = new Map(DEMO_SITES.map((s) => [s.path, s]));
  return startServer(async (reader: StreamReader, writer: StreamWriter) => {
    try {
      const requestLine = String(await reader.readline());
      for (;;) {
        const line = await reader.readline();
        if (line.length === 0 || line[0] === 10 || (line[0] === 13 && line[1] === 10)) break;
      }
      const path = requestLine.split(" ")[1] ?? "/";
      const site = sites.get(path);
      if (site === undefined) {
        writer.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      } else if (site.status === null) {
        await reader.read(); // never answers: waits until the client gives up
      } else {
        await sleep(site.delay);
        const location = site.location === undefined ? "" : `Location: ${site.location}\r\n`;
        writer.write(`HTTP/1.1 ${site.status} ${site.reason}\r\n${location}Content-Length: 0\r\nConnection: close\r\n\r\n`);
      }
      await writer.drain();
    } catch {
      // The client went away first: nothing to answer.
    } finally {
      writer.close();
    }
  }, "127.0.0.1", 0);
}
