// Each package exports at least the names CONTRACT §3 lists for it, and the
// meta-package re-exports exactly what the packages export, nothing of its own.
import { describe, expect, it } from "vitest";
import * as asyncio from "asyncio-ts";
import * as loop from "@asyncio-ts/loop";
import * as tasks from "@asyncio-ts/tasks";
import * as sync from "@asyncio-ts/sync";
import * as combinators from "@asyncio-ts/combinators";
import * as streams from "@asyncio-ts/streams";
import * as threads from "@asyncio-ts/threads";
import * as subprocess from "@asyncio-ts/subprocess";
import * as httpStatus from "@asyncio-ts/http-status";

const CONTRACT: Record<string, { module: Record<string, unknown>; names: string[] }> = {
  "@asyncio-ts/loop": {
    module: loop,
    // FutureLike and Executor are interfaces: types only, checked by tsc.
    names: ["EventLoop", "Handle", "TimerHandle", "getRunningLoop", "getEventLoop", "setEventLoop", "newEventLoop", "RuntimeError", "MonotonicClock", "VirtualClock"],
  },
  "@asyncio-ts/tasks": {
    module: tasks,
    names: ["Future", "Task", "CancelledError", "InvalidStateError", "createTask", "ensureFuture", "currentTask", "allTasks", "sleep", "run", "Runner", "isFuture", "iscoroutine"],
  },
  "@asyncio-ts/combinators": {
    module: combinators,
    names: ["gather", "wait", "waitFor", "shield", "asCompleted", "timeout", "timeoutAt", "Timeout", "TaskGroup", "taskGroup", "ExceptionGroup", "TimeoutError", "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"],
  },
  "@asyncio-ts/streams": {
    module: streams,
    names: ["openConnection", "startServer", "openUnixConnection", "startUnixServer", "StreamReader", "StreamWriter", "Server", "IncompleteReadError", "LimitOverrunError"],
  },
  "@asyncio-ts/threads": {
    module: threads,
    names: ["toThread", "ThreadPoolExecutor", "wrapFuture", "runCoroutineThreadsafe"],
  },
  "@asyncio-ts/subprocess": {
    module: subprocess,
    names: ["createSubprocessExec", "createSubprocessShell", "Process", "PIPE", "DEVNULL", "STDOUT"],
  },
  "@asyncio-ts/http-status": {
    module: httpStatus,
    names: ["getStatus", "checkStatus", "checkMany"],
  },
  "@asyncio-ts/sync": {
    module: sync,
    names: ["Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "Barrier", "BrokenBarrierError", "Queue", "PriorityQueue", "LifoQueue", "QueueEmpty", "QueueFull", "QueueShutDown"],
  },
};

/** Names too generic for the meta-package's flat namespace. */
const NOT_REEXPORTED: Record<string, string[]> = { "@asyncio-ts/http-status": ["ERROR_CODES", "DEFAULT_FAIL_ON"] };

describe("exports", () => {
  for (const [name, { module, names }] of Object.entries(CONTRACT)) {
    it(`${name} exports CONTRACT §3's names`, () => {
      for (const key of names) expect(module, `${name} lacks ${key}`).toHaveProperty(key);
    });
  }

  it("asyncio-ts re-exports the packages' exports, and only them", () => {
    const union = new Map<string, unknown>();
    for (const [name, { module }] of Object.entries(CONTRACT)) {
      for (const [k, v] of Object.entries(module)) if (!(NOT_REEXPORTED[name] ?? []).includes(k)) union.set(k, v);
    }
    expect(Object.keys(asyncio).sort()).toEqual([...union.keys()].sort());
    for (const [k, v] of union) expect((asyncio as Record<string, unknown>)[k], k).toBe(v);
  });

  it("error classes carry their names", () => {
    expect(new loop.RuntimeError("x").name).toBe("RuntimeError");
    expect(new tasks.CancelledError().name).toBe("CancelledError");
    expect(new tasks.CancelledError().message).toBe("");
    expect(new tasks.InvalidStateError().name).toBe("InvalidStateError");
  });
});
