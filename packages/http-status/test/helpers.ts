import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";
export { makeCaSignedCert, makeCert, type TestCert } from "@asyncio-ts/test-support/tls";
import { run } from "@asyncio-ts/tasks";

export const HOST = "127.0.0.1";

/** Runs `main` on a fresh event loop (asyncio.run). */
export function runLoop<T>(main: () => Promise<T>): Promise<T> {
  return run(main);
}

/** One request as the test server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  version: string;
  /** Header names in lower case. */
  headers: Map<string, string>;
  /** The request head, as received. */
  raw: string;
}

export type Handler = (request: SeenRequest, socket: net.Socket) => void;

export interface TestServer {
  port: number;
  /** `http(s)://127.0.0.1:port` + path. */
  url(path?: string): string;
  requests: SeenRequest[];
  /** The most requests being answered at once (from the request head until the server ends its reply). */
  maxActive: number;
  /** Connections open now. */
  active: number;
  /** Requests being answered now. */
  inFlight: number;
  close(): Promise<void>;
}

/**
 * A scripted HTTP server on 127.0.0.1 (plain Node sockets, independent of the
 * code under test): it reads each request head, then lets `handler` answer on
 * the raw socket — or not answer, reset, send garbage...
 */
export async function serve(handler: Handler, options: { tls?: { key: string; cert: string } } = {}): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  const state = { requests: [] as SeenRequest[], maxActive: 0, active: 0, inFlight: 0 };
  const onConnection = (socket: net.Socket): void => {
    sockets.add(socket);
    state.active++;
    let answering = false;
    const done = (): void => {
      if (!answering) return;
      answering = false;
      state.inFlight--;
    };
    socket.on("close", () => {
      sockets.delete(socket);
      state.active--;
      done();
    });
    // Counted as answered the moment the reply ends (the client cannot have seen it before).
    const end = socket.end.bind(socket);
    socket.end = ((...args: Parameters<typeof end>) => {
      done();
      return end(...args);
    }) as typeof socket.end;
    socket.on("error", () => {});
    let head = "";
    const onData = (chunk: Buffer): void => {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end === -1) return;
      socket.off("data", onData);
      const raw = head.slice(0, end + 4);
      const [requestLine, ...lines] = raw.slice(0, end).split("\r\n");
      const [method, path, version] = requestLine.split(" ");
      const headers = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const request = { method, path, version, headers, raw };
      state.requests.push(request);
      answering = true;
      state.inFlight++;
      state.maxActive = Math.max(state.maxActive, state.inFlight);
      handler(request, socket);
    };
    socket.on("data", onData);
  };
  const server = options.tls ? tls.createServer({ ...options.tls }, onConnection) : net.createServer(onConnection);
  if (options.tls) server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const port = (server.address() as net.AddressInfo).port;
  const scheme = options.tls ? "https" : "http";
  return {
    port,
    url: (path = "/") => `${scheme}://${HOST}:${port}${path}`,
    get requests() {
      return state.requests;
    },
    get maxActive() {
      return state.maxActive;
    },
    get active() {
      return state.active;
    },
    get inFlight() {
      return state.inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A handler answering with `status` (a status line's code and reason) and headers, maybe after a delay (seconds). */
export function reply(status: string, headers: Record<string, string> = {}, delay = 0): Handler {
  return (_request, socket) => {
    const send = (): void => {
      let text = `HTTP/1.1 ${status}\r\n`;
      for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`;
      socket.end(`${text}Content-Length: 0\r\n\r\n`);
    };
    if (delay > 0) setTimeout(send, delay * 1000);
    else send();
  };
}

/** A handler routing on the request path; unknown paths get 404. */
export function routes(table: Record<string, Handler>): Handler {
  return (request, socket) => (table[request.path.split("?")[0]] ?? reply("404 Not Found"))(request, socket);
}

/** A port with nothing listening (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}


/** Whether ::1 can be listened on here. */
export async function hasIpv6(): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(0, "::1", () => server.close(() => resolve(true)));
  });
}
