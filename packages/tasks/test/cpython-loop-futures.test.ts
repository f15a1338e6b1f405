// runUntilComplete on a pre-stopped loop and on done futures (CPython 3.12
// base_events.run_until_complete), traced with ~/.pyenv/versions/3.12.1/bin/python3:
//
//   loop = asyncio.new_event_loop()
//   async def c(): log('step1'); await asyncio.sleep(0); log('step2'); return 5
//   t = loop.create_task(c()); loop.stop()
//   loop.run_until_complete(t) -> RuntimeError('Event loop stopped before Future completed.'), log ['step1'], t.done() False
//   loop.run_until_complete(t) -> 5, log ['step1', 'step2']
//   f = loop.create_future(); f.set_result(3); loop.run_until_complete(f) -> 3
//   loop.call_soon(log.append, 'soon'); loop.run_until_complete(f) -> 3, and 'soon' ran (one iteration)
import { describe, expect, it } from "vitest";
import { EventLoop, RuntimeError, VirtualClock } from "@asyncio-ts/loop";
import { sleep, type Future, type Task } from "@asyncio-ts/tasks";
import { KINDS } from "./helpers.js";

describe.each(KINDS)("runUntilComplete on a pre-stopped loop (%s coroutines)", (kind) => {
  it("runs exactly one iteration, fails, and the task finishes on the next run", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const log: string[] = [];
    const t = loop.createTask(
      kind === "async"
        ? async () => {
            log.push("step1");
            await sleep(0);
            log.push("step2");
            return 5;
          }
        : (function* () {
            log.push("step1");
            yield* sleep(0);
            log.push("step2");
            return 5;
          })(),
    ) as Task<number>;
    loop.stop();
    await expect(loop.runUntilComplete(t)).rejects.toThrow(new RuntimeError("Event loop stopped before Future completed."));
    expect(log).toEqual(["step1"]);
    expect(t.done()).toBe(false);
    expect(await loop.runUntilComplete(t)).toBe(5);
    expect(log).toEqual(["step1", "step2"]);
    loop.close();
  });
});

describe("runUntilComplete of a done future", () => {
  it("returns its result after one iteration, running what was queued", async () => {
    const loop = new EventLoop({ clock: new VirtualClock() });
    const log: string[] = [];
    const f = loop.createFuture() as Future<number>;
    f.setResult(3);
    expect(await loop.runUntilComplete(f)).toBe(3);
    loop.callSoon(() => log.push("soon"));
    expect(await loop.runUntilComplete(f)).toBe(3);
    expect(log).toEqual(["soon"]);
    loop.close();
  });
});
