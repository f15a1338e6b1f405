// checkMany: bounded concurrency (global and per host), order, streaming input,
// every input accounted for, cancellation and the graceful stop.
import { checkMany, type StatusResult } from "@asyncio-ts/http-status";
import { createTask, sleep } from "@asyncio-ts/tasks";
import { afterEach, describe, expect, it } from "vitest";
import { reply, runLoop, serve, type Handler, type TestServer } from "./helpers.js";

const servers: TestServer[] = [];
async function server(handler: Handler): Promise<TestServer> {
  const s = await serve(handler);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function collect(results: AsyncIterable<StatusResult>): Promise<StatusResult[]> {
  const out: StatusResult[] = [];
  for await (const r of results) out.push(r);
  return out;
}

/** Answers /N after N milliseconds (so input order and completion order differ). */
const delayed: Handler = (request, socket) => reply("200 OK", {}, Number(request.path.slice(1)) / 1000)(request, socket);

describe("checkMany", () => {
  it("checks 10,000 URLs, every one accounted for exactly once", { timeout: 30_000 }, async () => {
    const s = await server((request, socket) => {
      const n = Number(request.path.slice(1));
      reply(n % 10 === 0 ? "404 Not Found" : "200 OK")(request, socket);
    });
    const N = 10_000;
    const urls = Array.from({ length: N }, (_, i) => s.url(`/${i}`));
    urls[17] = "not a url";
    urls[4242] = "ftp://elsewhere/";
    const results = await runLoop(() => collect(checkMany(urls, { concurrency: 100 })));
    expect(results).toHaveLength(N);
    expect(new Set(results.map((r) => r.url)).size).toBe(N);
    expect(new Set(results.map((r) => r.url))).toEqual(new Set(urls));
    const byUrl = new Map(results.map((r) => [r.url, r]));
    expect(byUrl.get("not a url")?.error?.code).toBe("INVALID_URL");
    expect(byUrl.get("ftp://elsewhere/")?.error?.code).toBe("UNSUPPORTED_SCHEME");
    expect(byUrl.get(s.url("/20"))).toMatchObject({ status: 404, ok: false });
    expect(byUrl.get(s.url("/21"))).toMatchObject({ status: 200, ok: true });
    expect(results.filter((r) => r.error === null)).toHaveLength(N - 2);
    expect(s.maxActive).toBeLessThanOrEqual(100);
  });

  it("runs at most `concurrency` checks at once", async () => {
    const s = await server(reply("200 OK", {}, 0.05));
    const urls = Array.from({ length: 40 }, (_, i) => s.url(`/${i}`));
    await runLoop(() => collect(checkMany(urls, { concurrency: 7 })));
    expect(s.maxActive).toBe(7);
  });

  it("runs at most `perHost` checks against one host", async () => {
    const s = await server(reply("200 OK", {}, 0.05));
    // Two host names for the same server: 127.0.0.1 and localhost.
    const urls = Array.from({ length: 30 }, (_, i) => (i % 2 ? s.url(`/${i}`) : `http://localhost:${s.port}/${i}`));
    const started = performance.now();
    const results = await runLoop(() => collect(checkMany(urls, { concurrency: 10, perHost: 2 })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(s.maxActive).toBeLessThanOrEqual(4);
    expect(s.maxActive).toBeGreaterThanOrEqual(3);
    expect(performance.now() - started).toBeGreaterThan(15 * 50 * 0.9 / 2);
  });

  it("yields in completion order by default, in input order on request", async () => {
    const s = await server(delayed);
    const urls = [300, 10, 200, 50, 100].map((ms) => s.url(`/${ms}`));
    await runLoop(async () => {
      const completion = await collect(checkMany(urls, { concurrency: 5 }));
      expect(completion.map((r) => r.url)).toEqual([10, 50, 100, 200, 300].map((ms) => s.url(`/${ms}`)));
      const input = await collect(checkMany(urls, { concurrency: 5, order: "input" }));
      expect(input.map((r) => r.url)).toEqual(urls);
    });
  });

  it("streams: results come while the input is still being read, and the input is read lazily", async () => {
    const s = await server(reply("200 OK"));
    let pulled = 0;
    function* lazy(): Generator<string> {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield s.url(`/${i}`);
      }
    }
    await runLoop(async () => {
      let seen = 0;
      for await (const result of checkMany(lazy(), { concurrency: 4 })) {
        expect(result.status).toBe(200);
        if (++seen === 20) break;
      }
      // Taken only as slots free up: never far ahead of what was yielded.
      expect(pulled).toBeLessThanOrEqual(20 + 4 + 4 + 1);
    });
  });

  it("takes async iterables, and non-string items become INVALID_URL results", async () => {
    const s = await server(reply("204 No Content"));
    async function* source(): AsyncGenerator<string> {
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield s.url(`/${i}`);
      }
      yield 42 as unknown as string;
    }
    const results = await runLoop(() => collect(checkMany(source(), { concurrency: 3, order: "input" })));
    expect(results.map((r) => r.status)).toEqual([204, 204, 204, 204, 204, null]);
    expect(results[5]).toMatchObject({ url: "42", error: { code: "INVALID_URL" } });
  });

  it("leaving the loop early cancels the checks in flight and closes the input", async () => {
    const s = await server((request, socket) => (request.path === "/0" ? reply("200 OK")(request, socket) : undefined));
    let closed = false;
    function* source(): Generator<string> {
      try {
        for (let i = 0; ; i++) yield s.url(`/${i}`);
      } finally {
        closed = true;
      }
    }
    await runLoop(async () => {
      for await (const result of checkMany(source(), { concurrency: 5 })) {
        expect(result.url).toBe(s.url("/0"));
        break;
      }
      expect(closed).toBe(true);
      await sleep(0.05);
      expect(s.active).toBe(0);
    });
  });

  it("cancelling the iterating task cancels the checks", async () => {
    const s = await server(() => {});
    await runLoop(async () => {
      const task = createTask(() => collect(checkMany([s.url("/a"), s.url("/b")], { concurrency: 2 })));
      await sleep(0.1);
      expect(s.active).toBe(2);
      task.cancel();
      await expect(task).rejects.toMatchObject({ name: "CancelledError" });
      await sleep(0.05);
      expect(s.active).toBe(0);
    });
  });

  it("signal: a graceful stop yields what finished, cancels the rest, and ends normally", async () => {
    const s = await server((request, socket) => (Number(request.path.slice(1)) < 3 ? reply("200 OK")(request, socket) : undefined));
    const controller = new AbortController();
    const urls = Array.from({ length: 50 }, (_, i) => s.url(`/${i}`));
    await runLoop(async () => {
      setTimeout(() => controller.abort(), 200);
      const results = await collect(checkMany(urls, { concurrency: 5, order: "input", signal: controller.signal }));
      expect(results.map((r) => r.url)).toEqual(urls.slice(0, 3));
      await sleep(0.05);
      expect(s.active).toBe(0);
    });
    expect(s.requests.length).toBeLessThanOrEqual(8);
  });

  it("an input that throws: the checks in flight finish, then the error comes out", async () => {
    const s = await server(reply("200 OK", {}, 0.05));
    function* source(): Generator<string> {
      yield s.url("/1");
      yield s.url("/2");
      throw new Error("disk on fire");
    }
    await runLoop(async () => {
      const seen: string[] = [];
      await expect(
        (async () => {
          for await (const r of checkMany(source(), { concurrency: 4 })) seen.push(r.url);
        })(),
      ).rejects.toThrow("disk on fire");
      expect(seen.sort()).toEqual([s.url("/1"), s.url("/2")]);
    });
  });

  it("checks its arguments at the call", async () => {
    expect(() => checkMany("http://x/" as unknown as string[])).toThrow(TypeError);
    expect(() => checkMany(42 as unknown as string[])).toThrow(TypeError);
    expect(() => checkMany([], { concurrency: 0 })).toThrow(RangeError);
    expect(() => checkMany([], { perHost: -1 })).toThrow(RangeError);
    expect(() => checkMany([], { order: "random" as "input" })).toThrow(RangeError);
    await runLoop(async () => expect(await collect(checkMany([]))).toEqual([]));
  });
});
