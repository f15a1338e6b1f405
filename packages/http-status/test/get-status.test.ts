// getStatus: the guide's get_status(url), the status line as received.
import { getStatus, HttpStatusError } from "@asyncio-ts/http-status";
import { afterEach, describe, expect, it } from "vitest";
import { reply, routes, runLoop, serve, type TestServer } from "./helpers.js";

let s: TestServer | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

describe("getStatus", () => {
  it("resolves to the status line, as the seed prints it", async () => {
    s = await serve(routes({ "/": reply("200 OK"), "/gone": reply("410 Gone"), "/old": (_r, socket) => socket.end("HTTP/1.0 301 Moved Permanently  \r\nLocation: /\r\n\r\n") }));
    const server = s;
    await runLoop(async () => {
      expect(await getStatus(server.url("/"))).toBe("HTTP/1.1 200 OK");
      expect(await getStatus(server.url("/gone"))).toBe("HTTP/1.1 410 Gone");
      expect(await getStatus(server.url("/old"))).toBe("HTTP/1.0 301 Moved Permanently");
      expect(await getStatus(server.url("/old"), { follow: true })).toBe("HTTP/1.1 200 OK");
    });
  });

  it("makes one request by default (no retries)", async () => {
    s = await serve(reply("503 Service Unavailable", { "Retry-After": "0" }));
    const server = s;
    await runLoop(async () => expect(await getStatus(server.url())).toBe("HTTP/1.1 503 Service Unavailable"));
    expect(server.requests).toHaveLength(1);
  });

  it("rejects with HttpStatusError, with the code checkStatus would report", async () => {
    await runLoop(async () => {
      const error = await getStatus("http://nonexistent.invalid/").then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(HttpStatusError);
      expect(error).toMatchObject({ name: "HttpStatusError", code: "DNS", url: "http://nonexistent.invalid/" });
      await expect(getStatus("gopher://x/")).rejects.toMatchObject({ code: "UNSUPPORTED_SCHEME" });
    });
  });
});
