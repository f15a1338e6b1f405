// The scheduling trace of CPython 3.12 (see the Python program in the comment at
// the bottom), reproduced with async coroutines and with generator coroutines.
import { describe, expect, it } from "vitest";
import { getRunningLoop } from "@asyncio-ts/loop";
import { CancelledError, createTask, sleep, type Future } from "@asyncio-ts/tasks";
import { runVirtual, tracer } from "./helpers.js";

const EXPECTED = [
  "A 0", "B 0", "A 1", "B 1", "A 2", "B 2", "--",
  "w1 waits", "w2 waits", "cb-before", "w1 got 7", "w2 got 7", "cb-after", "done-cb 7", "--",
  "soon1", "T 0", "soon2", "T 1", "--",
  "after done await", "soon3", "after sleep0", "--",
  // CPython's heap gives 0 2 1 3 here; the contract fixes equal deadlines to FIFO.
  "timer 0", "timer 1", "timer 2", "timer 3", "--",
  "cancel -> true 1", "sleeper cancelled msg", "outer got msg true",
  "swallowed", "swallow result 5 false 1",
  "cancelled before start true",
];

describe("scheduling matches CPython's trace", () => {
  it("with async coroutines", async () => {
    const { trace, log } = tracer();
    async function ticker(name: string, n: number): Promise<void> {
      for (let i = 0; i < n; i++) {
        log(name, i);
        await sleep(0);
      }
    }
    async function waiter(fut: Future<number>, name: string): Promise<void> {
      log(name, "waits");
      const v = await fut;
      log(name, "got", v);
    }
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const a = createTask(() => ticker("A", 3));
      const b = createTask(() => ticker("B", 3));
      await a;
      await b;
      log("--");
      const fut = loop.createFuture<number>() as Future<number>;
      const w1 = createTask(() => waiter(fut, "w1"));
      const w2 = createTask(() => waiter(fut, "w2"));
      await sleep(0);
      loop.callSoon(log, "cb-before");
      fut.setResult(7);
      loop.callSoon(log, "cb-after");
      fut.addDoneCallback((f) => log("done-cb", f.result()));
      await w1;
      await w2;
      log("--");
      loop.callSoon(log, "soon1");
      const t = createTask(() => ticker("T", 2));
      loop.callSoon(log, "soon2");
      await t;
      log("--");
      const done = loop.createFuture<number>() as Future<number>;
      done.setResult(1);
      loop.callSoon(log, "soon3");
      await done;
      log("after done await");
      await sleep(0);
      log("after sleep0");
      log("--");
      const when = loop.time() + 0.01;
      for (let i = 0; i < 4; i++) loop.callAt(when, log, "timer", i);
      await sleep(0.05);
      log("--");
      const sleeper = createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          log("sleeper cancelled", (e as Error).message);
          throw e;
        }
      });
      await sleep(0);
      log("cancel ->", sleeper.cancel("msg"), sleeper.cancelling());
      try {
        await sleeper;
      } catch (e) {
        log("outer got", (e as Error).message, sleeper.cancelled());
      }
      const swallow = async (): Promise<number> => {
        try {
          await sleep(10);
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          log("swallowed");
        }
        return 5;
      };
      let s = createTask(swallow);
      await sleep(0);
      s.cancel();
      log("swallow result", await s, s.cancelled(), s.cancelling());
      s = createTask(swallow);
      s.cancel();
      try {
        await s;
      } catch {
        log("cancelled before start", s.cancelled());
      }
    });
    expect(trace).toEqual(EXPECTED);
  });

  it("with generator coroutines", async () => {
    const { trace, log } = tracer();
    function* ticker(name: string, n: number): Generator<unknown, void, unknown> {
      for (let i = 0; i < n; i++) {
        log(name, i);
        yield* sleep(0);
      }
    }
    function* waiter(fut: Future<number>, name: string): Generator<unknown, void, unknown> {
      log(name, "waits");
      const v = yield* fut;
      log(name, "got", v);
    }
    function* main(): Generator<unknown, void, unknown> {
      const loop = getRunningLoop();
      const a = createTask(ticker("A", 3));
      const b = createTask(ticker("B", 3));
      yield* a;
      yield* b;
      log("--");
      const fut = loop.createFuture<number>() as Future<number>;
      const w1 = createTask(waiter(fut, "w1"));
      const w2 = createTask(waiter(fut, "w2"));
      yield* sleep(0);
      loop.callSoon(log, "cb-before");
      fut.setResult(7);
      loop.callSoon(log, "cb-after");
      fut.addDoneCallback((f) => log("done-cb", f.result()));
      yield* w1;
      yield* w2;
      log("--");
      loop.callSoon(log, "soon1");
      const t = createTask(ticker("T", 2));
      loop.callSoon(log, "soon2");
      yield* t;
      log("--");
      const done = loop.createFuture<number>() as Future<number>;
      done.setResult(1);
      loop.callSoon(log, "soon3");
      yield* done;
      log("after done await");
      yield* sleep(0);
      log("after sleep0");
      log("--");
      const when = loop.time() + 0.01;
      for (let i = 0; i < 4; i++) loop.callAt(when, log, "timer", i);
      yield* sleep(0.05);
      log("--");
      const sleeper = createTask(
        (function* () {
          try {
            yield* sleep(10);
          } catch (e) {
            log("sleeper cancelled", (e as Error).message);
            throw e;
          }
        })(),
      );
      yield* sleep(0);
      log("cancel ->", sleeper.cancel("msg"), sleeper.cancelling());
      try {
        yield* sleeper;
      } catch (e) {
        log("outer got", (e as Error).message, sleeper.cancelled());
      }
      function* swallow(): Generator<unknown, number, unknown> {
        try {
          yield* sleep(10);
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          log("swallowed");
        }
        return 5;
      }
      let s = createTask(swallow());
      yield* sleep(0);
      s.cancel();
      const r = yield* s;
      log("swallow result", r, s.cancelled(), s.cancelling());
      s = createTask(swallow());
      s.cancel();
      try {
        yield* s;
      } catch {
        log("cancelled before start", s.cancelled());
      }
    }
    await runVirtual(main());
    expect(trace).toEqual(EXPECTED);
  });
});
