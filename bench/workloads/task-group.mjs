// Issue 3, TaskGroup: one task group with N children that each sleep(0) once,
// created in the group's body; the group waits for all of them. Times the
// whole run() call (twin: python/task_group.py, asyncio.TaskGroup).
// Libraries are imported lazily.
import { check, runWorkload, timed } from "../lib/child.mjs";

await runWorkload({
  /** asyncio-ts: taskGroup(function* (tg) { tg.createTask(child()) x N }). */
  async gen(n) {
    const { run, sleep, taskGroup } = await import("asyncio-ts");
    let woke = 0;
    function* child() {
      yield* sleep(0);
      woke++;
    }
    function* main() {
      yield* taskGroup(function* (tg) {
        for (let i = 0; i < n; i++) tg.createTask(child());
      });
      check("children finished when the group exits", woke, n);
    }
    const r = await timed(() => run(main()));
    check("children woken", woke, n);
    return r;
  },

  /** asyncio-ts: taskGroup(async (tg) => { tg.createTask(child) x N }), child an async function. */
  async async(n) {
    const { run, sleep, taskGroup } = await import("asyncio-ts");
    let woke = 0;
    async function child() {
      await sleep(0);
      woke++;
    }
    async function main() {
      await taskGroup(async (tg) => {
        for (let i = 0; i < n; i++) tg.createTask(child);
      });
      check("children finished when the group exits", woke, n);
    }
    const r = await timed(() => run(main));
    check("children woken", woke, n);
    return r;
  },
});
