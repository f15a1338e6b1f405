/**
 * What `bench/run.mjs` runs: each workload, its implementations (one child
 * process per measurement) and the targets from issue 2 ("Speed").
 *
 * impl fields: id (the child's argv[2]), label, lang ("node" | "python"),
 * script (under workloads/ or python/), n, short (the name used in
 * ratios) and an optional note.
 * A derived row (memory) has `derive: [a, b]` = median(a) - median(b).
 * A target is { impl, vs, max } (ratio of per-op values, impl / vs) or
 * { impl, maxValue } (an absolute bound on the row's value), with display text.
 * Every row is compared with `baseline` (if any) and with each target's and
 * extraRatios' `vs`. `reps` overrides the default repetitions.
 */

const M = 1_000_000;
const K100 = 100_000;

export const WORKLOADS = [
  {
    id: "spawn-sleep0",
    title: "1. spawn 1M tasks that each sleep(0) once, then await each",
    metric: "seconds",
    baseline: "promise",
    impls: [
      { id: "promise", lang: "node", script: "spawn-sleep0.mjs", n: M, label: "plain Node promises (async fn `await null`)", short: "plain promises" },
      { id: "gen", lang: "node", script: "spawn-sleep0.mjs", n: M, label: "asyncio-ts generator tasks" },
      { id: "async", lang: "node", script: "spawn-sleep0.mjs", n: M, label: "asyncio-ts async tasks" },
      { id: "cpython", lang: "python", script: "spawn_sleep0.py", n: M, label: "CPython asyncio", short: "CPython" },
      {
        id: "effection",
        lang: "node",
        script: "spawn-sleep0.mjs",
        n: K100,
        label: "effection 4.1.1 spawn",
        note: "N scaled down to 100,000 (1M would take minutes); ratio uses time per task",
      },
    ],
    targets: [
      { impl: "gen", vs: "promise", max: 0.8, text: "<= 0.8x plain promises" },
      { impl: "async", vs: "promise", max: 2, text: "<= 2x plain promises" },
      { impl: "gen", vs: "cpython", max: 1 / 20, text: ">= 20x faster than CPython" },
      { impl: "async", vs: "cpython", max: 1 / 20, text: ">= 20x faster than CPython" },
    ],
  },
  {
    id: "sequential-await",
    title: "2. 1M sequential awaits of a trivial coroutine in one task",
    metric: "seconds",
    baseline: "plain",
    reps: 5, // each run is well under a second
    impls: [
      { id: "plain", lang: "node", script: "sequential-await.mjs", n: M, label: "plain Node `await trivial()`", short: "plain await" },
      { id: "plain-resolved", lang: "node", script: "sequential-await.mjs", n: M, label: "plain Node `await resolvedPromise`", short: "plain await resolved" },
      { id: "async", lang: "node", script: "sequential-await.mjs", n: M, label: "asyncio-ts task, `await trivial()`" },
      { id: "async-future", lang: "node", script: "sequential-await.mjs", n: M, label: "asyncio-ts task, `await doneFuture`" },
      { id: "effection", lang: "node", script: "sequential-await.mjs", n: M, label: "effection 4.1.1 `yield* trivial()`", short: "effection" },
      { id: "gen", lang: "node", script: "sequential-await.mjs", n: M, label: "asyncio-ts task, `yield* trivial()`" },
      { id: "gen-future", lang: "node", script: "sequential-await.mjs", n: M, label: "asyncio-ts task, `yield* doneFuture`" },
      { id: "cpython", lang: "python", script: "sequential_await.py", n: M, label: "CPython `await trivial()`" },
      { id: "cpython-future", lang: "python", script: "sequential_await.py", n: M, label: "CPython `await done_future`" },
    ],
    targets: [
      { impl: "async", vs: "plain", max: 1, text: "no slower than plain `await`" },
      { impl: "async-future", vs: "plain-resolved", max: 1, text: "no slower than plain `await resolvedPromise`" },
      { impl: "gen", vs: "effection", max: 1, text: "no slower than effection" },
    ],
    extraRatios: [
      { impl: "gen-future", vs: "effection" },
      { impl: "cpython-future", vs: "plain-resolved" },
    ],
  },
  {
    id: "cancel-sleepers",
    title: "3. create 100k tasks sleeping an hour, cancel all, wait for all",
    metric: "seconds",
    baseline: "cpython",
    impls: [
      { id: "cpython", lang: "python", script: "cancel_sleepers.py", n: K100, label: "CPython asyncio", short: "CPython" },
      { id: "abort", lang: "node", script: "cancel-sleepers.mjs", n: K100, label: "Node promises, setTimeout + AbortController each", short: "AbortController" },
      { id: "gen", lang: "node", script: "cancel-sleepers.mjs", n: K100, label: "asyncio-ts generator tasks" },
      { id: "async", lang: "node", script: "cancel-sleepers.mjs", n: K100, label: "asyncio-ts async tasks" },
    ],
    targets: [
      { impl: "gen", vs: "cpython", max: 1 / 10, text: ">= 10x faster than CPython" },
      { impl: "async", vs: "cpython", max: 1 / 10, text: ">= 10x faster than CPython" },
    ],
    extraRatios: [
      { impl: "gen", vs: "abort" },
      { impl: "async", vs: "abort" },
    ],
  },
  {
    id: "memory-pending",
    title: "4. memory per pending task (100k tasks parked in sleep(3600))",
    metric: "bytes",
    baseline: null, // rows are compared with CPython's task (and task-beyond-coroutine) below
    impls: [
      { id: "bare-gen", lang: "node", script: "memory-pending.mjs", n: K100, label: "bare generator, suspended in `yield*` (no library)" },
      { id: "gen", lang: "node", script: "memory-pending.mjs", n: K100, label: "asyncio-ts generator task" },
      { id: "gen-extra", derive: ["gen", "bare-gen"], label: "asyncio-ts generator task beyond its generator" },
      { id: "bare-async", lang: "node", script: "memory-pending.mjs", n: K100, label: "bare async fn call, suspended in `await` (no library)" },
      { id: "async", lang: "node", script: "memory-pending.mjs", n: K100, label: "asyncio-ts async task" },
      { id: "async-extra", derive: ["async", "bare-async"], label: "asyncio-ts async task beyond its async fn call" },
      { id: "bare-coro", lang: "python", script: "memory_pending.py", n: K100, label: "CPython bare coroutine, suspended" },
      { id: "cpython", lang: "python", script: "memory_pending.py", n: K100, label: "CPython asyncio task", short: "CPython task" },
      { id: "cpython-extra", derive: ["cpython", "bare-coro"], label: "CPython task beyond its coroutine", short: "CPython task extra" },
    ],
    targets: [{ impl: "gen-extra", maxValue: 300, text: "<= 300 B per task beyond the generator" }],
    extraRatios: [
      { impl: "gen", vs: "cpython" },
      { impl: "async", vs: "cpython" },
      { impl: "gen-extra", vs: "cpython-extra" },
      { impl: "async-extra", vs: "cpython-extra" },
    ],
  },
];
