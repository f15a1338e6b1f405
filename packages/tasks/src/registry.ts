import type { EventLoop } from "@asyncio-ts/loop";
import { globalState } from "@asyncio-ts/loop/lowlevel";
import type { Task } from "./task.js";

/**
 * The not-done tasks of each loop, as an intrusive doubly linked list through
 * the tasks themselves (two fields a task, O(1) removal, no Set entry).
 */
interface LoopTasks {
  head: Task<unknown> | null;
  size: number;
}

const byLoop: WeakMap<EventLoop, LoopTasks> =
  ((globalState().slots.taskRegistry as WeakMap<EventLoop, LoopTasks> | undefined) ??= new WeakMap());
let lastLoop: EventLoop | null = null;
let lastTasks: LoopTasks | null = null;

function tasksOf(loop: EventLoop): LoopTasks {
  if (loop === lastLoop) return lastTasks!;
  let tasks = byLoop.get(loop);
  if (tasks === undefined) byLoop.set(loop, (tasks = { head: null, size: 0 }));
  lastLoop = loop;
  lastTasks = tasks;
  return tasks;
}

export function registerTask(task: Task<unknown>): void {
  const tasks = tasksOf(task._loop);
  task._prev = null;
  task._next = tasks.head;
  if (tasks.head !== null) tasks.head._prev = task;
  tasks.head = task;
  tasks.size++;
}

export function unregisterTask(task: Task<unknown>): void {
  const tasks = tasksOf(task._loop);
  // Registered exactly when linked: it has a predecessor or is the head.
  if (task._prev === null && tasks.head !== task) return;
  if (task._prev !== null) task._prev._next = task._next;
  else tasks.head = task._next;
  if (task._next !== null) task._next._prev = task._prev;
  task._prev = task._next = null;
  tasks.size--;
}

/** The loop's tasks that are not done, oldest first. */
export function loopTasks(loop: EventLoop): Task<unknown>[] {
  const out: Task<unknown>[] = [];
  for (let t = tasksOf(loop).head; t !== null; t = t._next) if (!t.done()) out.push(t);
  return out.reverse();
}

/** Forgets every task of `loop` (it is closing). Returns the ones still pending. */
export function dropLoopTasks(loop: EventLoop): Task<unknown>[] {
  const pending = loopTasks(loop);
  byLoop.delete(loop);
  if (lastLoop === loop) lastLoop = lastTasks = null;
  for (const t of pending) t._prev = t._next = null;
  return pending;
}
