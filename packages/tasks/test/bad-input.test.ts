import { describe, expect, it } from "vitest";
import { createTask, ensureFuture, Future, sleep } from "@asyncio-ts/tasks";
import { runVirtual } from "./helpers.js";

// Bad input gets a clear error at the call, never a hang, a crash or a
// silently dropped result.

describe("failing with undefined", () => {
  it("setException(undefined) is a TypeError at the call (CPython: 'invalid exception object')", async () => {
    await runVirtual(async () => {
      const future = new Future();
      expect(() => future.setException(undefined)).toThrow(TypeError);
      expect(() => future.setException(undefined)).toThrow("setException() needs an exception (an Error), got undefined");
      expect(future.done()).toBe(false);
    });
  });

  for (const kind of ["async", "generator"] as const) {
    it(`a ${kind} task that throws undefined fails with a TypeError, which exception() reports (it read as "no exception")`, async () => {
      await runVirtual(async () => {
        const task =
          kind === "async"
            ? createTask(async () => {
                await sleep(0);
                throw undefined;
              })
            : createTask(
                (function* () {
                  yield* sleep(0);
                  throw undefined;
                })(),
              );
        await sleep(0.1);
        expect(task.done()).toBe(true);
        const error = task.exception();
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/failed with undefined \(a throw or a promise rejection without a value\).*throw or reject with an Error/);
        expect(() => task.result()).toThrow(TypeError);
      });
    });
  }

  it("a promise rejected without a reason gives a future that failed with a TypeError", async () => {
    await runVirtual(async () => {
      const future = ensureFuture(Promise.reject());
      await sleep(0.1);
      expect(future.exception()).toBeInstanceOf(TypeError);
    });
  });
});
