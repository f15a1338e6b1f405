import { describe, expect, it } from "vitest";
import { EventLoop, VirtualClock } from "@asyncio-ts/loop";
import { createTask, run, sleep, type Coroutine } from "@asyncio-ts/tasks";
import { asCompleted, ExceptionGroup, gather, taskGroup, timeout, timeoutAt, wait, waitFor } from "@asyncio-ts/combinators";

// Bad input gets a clear error at the call, never a hang or a silently
// ignored value.

function runVirtual<T>(main: Coroutine<T>): Promise<T> {
  return run(main, { loopFactory: () => new EventLoop({ clock: new VirtualClock() }) });
}

const forever = (): PromiseLike<void> => sleep(3600);

describe("wait() options", () => {
  it("a number where the options go is a TypeError (it was ignored: no timeout, the wait never ended)", async () => {
    await runVirtual(async () => {
      const task = createTask(forever);
      expect(() => wait([task], 5 as never)).toThrow(TypeError);
      expect(() => wait([task], 5 as never)).toThrow(
        "wait() takes an options object ({ timeout, returnWhen }) after the futures, got 5 (for a timeout, pass { timeout: 5 })",
      );
      task.cancel();
    });
  });

  it("a misspelt option is a TypeError naming it", async () => {
    await runVirtual(async () => {
      const task = createTask(forever);
      expect(() => wait([task], { timout: 1 } as never)).toThrow(TypeError);
      expect(() => wait([task], { timout: 1 } as never)).toThrow('wait() got an unknown option "timout" (known: timeout, returnWhen)');
      expect(() => wait([task], { return_when: "FIRST_COMPLETED" } as never)).toThrow(/unknown option "return_when"/);
      task.cancel();
    });
  });

  it("null is still no options", async () => {
    await runVirtual(async () => {
      const [done, pending] = await wait([createTask(async () => 1)], null as never);
      expect([done.size, pending.size]).toEqual([1, 0]);
    });
  });
});

describe("asCompleted() options", () => {
  it("a number, or a misspelt option, is a TypeError (the timeout was ignored)", async () => {
    await runVirtual(async () => {
      const task = createTask(forever);
      expect(() => asCompleted([task], 1 as never)).toThrow(
        "asCompleted() takes an options object ({ timeout }) after the awaitables, got 1 (for a timeout, pass { timeout: 1 })",
      );
      expect(() => asCompleted([task], { timout: 1 } as never)).toThrow('asCompleted() got an unknown option "timout" (known: timeout)');
      task.cancel();
    });
  });
});

describe("gather() options", () => {
  it("a misspelt option is a TypeError (returnExceptions was silently off)", async () => {
    await runVirtual(async () => {
      expect(() => gather([async () => 1], { returnExeptions: true } as never)).toThrow(TypeError);
      expect(() => gather([async () => 1], { returnExeptions: true } as never)).toThrow('gather() got an unknown option "returnExeptions" (known: returnExceptions)');
    });
  });

  it("options after separate awaitables say where options go", async () => {
    await runVirtual(async () => {
      const a = async (): Promise<number> => 1;
      expect(() => gather(a, a, { returnExceptions: true } as never)).toThrow(TypeError);
      expect(() => gather(a, a, { returnExceptions: true } as never)).toThrow(
        "gather() got a plain object as argument 3, which is not awaitable: options go after an array of awaitables, gather([a, b], { returnExceptions: true })",
      );
    });
  });

  it("a foreign future-like plain object is still an awaitable there", async () => {
    await runVirtual(async () => {
      const a = async (): Promise<number> => 1;
      // Not a plain-object options bag: it has then().
      const thenable = { then: (resolve: (v: number) => void) => resolve(2) };
      expect(await gather(a, thenable as never)).toEqual([1, 2]);
    });
  });

  it("a child that throws undefined fails the gather instead of hanging it", async () => {
    await runVirtual(async () => {
      const outcome = await waitFor(
        gather(async () => {
          await sleep(0);
          throw undefined;
        }).then(
          () => "resolved",
          (error: unknown) => error,
        ),
        10,
      );
      expect(outcome).toBeInstanceOf(TypeError);
    });
  });

  it("a TaskGroup child that throws undefined is an error of the group, not a success", async () => {
    await runVirtual(async () => {
      let caught: unknown = null;
      try {
        await taskGroup(async (tg) => {
          tg.createTask(async () => {
            throw undefined;
          });
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ExceptionGroup);
      expect((caught as ExceptionGroup).exceptions[0]).toBeInstanceOf(TypeError);
    });
  });
});

describe("async generator functions as bodies", () => {
  const agen = async function* lines(): AsyncGenerator<string> {
    yield "x";
  };

  it("timeout(), timeoutAt() and taskGroup() refuse them at the call (the async generator was returned, its body never run)", async () => {
    await runVirtual(async () => {
      expect(() => timeout(1, agen as never)).toThrow(TypeError);
      expect(() => timeout(1, agen as never)).toThrow(/^timeout\(\) needs a body function, .*got async generator function lines, which is iterated with for await, not run/);
      expect(() => timeoutAt(null, agen as never)).toThrow(/^timeoutAt\(\) needs a body function/);
      expect(() => taskGroup(agen as never)).toThrow(/^taskGroup\(\) needs a body function, .*got async generator function lines/);
    });
  });

  it("waitFor() refuses one too", async () => {
    await runVirtual(async () => {
      expect(() => waitFor(agen as never, 1)).toThrow(TypeError);
      expect(() => waitFor(agen as never, 1)).toThrow(
        "waitFor() takes an awaitable (a future, a coroutine or a promise), got async generator function lines, which is iterated with for await, not awaited",
      );
    });
  });
});

describe("ExceptionGroup", () => {
  it("exceptions that are not an iterable are a TypeError naming the argument (it was 'exceptions is not iterable')", () => {
    for (const bad of [5, null, undefined, "ab"]) {
      expect(() => new ExceptionGroup("m", bad as never)).toThrow(TypeError);
      expect(() => new ExceptionGroup("m", bad as never)).toThrow(/^ExceptionGroup\(\) needs an iterable of exceptions \(e\.g\. an array\) as its second argument, got /);
    }
  });

  it("split() and subgroup() with a condition that is not a function say so (it was 'test is not a function')", () => {
    const group = new ExceptionGroup("m", [new Error("e")]);
    expect(() => group.split(5 as never)).toThrow(TypeError);
    expect(() => group.split(5 as never)).toThrow("ExceptionGroup.split() needs a predicate (error) => boolean or an error class, got 5");
    expect(() => group.subgroup("TypeError" as never)).toThrow('ExceptionGroup.subgroup() needs a predicate (error) => boolean or an error class, got "TypeError"');
  });
});
