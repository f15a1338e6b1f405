/**
 * What `bench/run.mjs` runs: each workload, its implementations (one child
 * process per measurement) and the targets of the issue it comes from.
 *
 * workload fields: id, group (the issue: consecutive workloads of a group
 * share a table), title, metric (the key of the child's JSON that is the
 * row's figure), kind ("time": seconds, lower is better, per op = / N;
 * "bytes": per task; "rate": per second, higher is better, with `unit`),
 * baseline, reps, nodeFlags (replaces run.mjs's NODE_FLAGS), extras ([{ key, label, format }]: more of the child's
 * figures, median of the runs, shown in Notes), targets, extraRatios.
 * impl fields: id (the child's argv[2]), label, lang ("node" | "python"),
 * script (under workloads/ or python/), n, short (the name used in
 * ratios), an optional note, args(n) (the child's argv when it is not
 * `<id> <n>`) and verify(json, n) (returns a complaint or null).
 * A derived row has `derive: [a, b]` = median(a) - median(b), or
 * `best: [a, b]` = whichever of a and b did better.
 * Targets (see judge() in report.mjs): { impl, vs, max } or { impl, vs, min }
 * (ratio of per-op figures, impl / vs), { impl, maxValue } (the row's median),
 * { impl, field, maxValue } (an extra's median), { impl, field, vs } (an
 * extra no greater than row vs's), each with display text.
 * Every row is compared with `baseline` (if any) and with each target's and
 * extraRatios' `vs`. `reps` overrides the default repetitions.
 */

const M = 1_000_000;
const K100 = 100_000;

const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const mb = (x) => `${Math.round(x)} MB`;
const PEAK_RSS = { key: "peakRssMb", label: "peak RSS", format: mb };
const ISSUE2 = "Issue 2: speed (tasks, awaits, cancellation, memory)";
const ISSUE3 = "Issue 3: combinators (gather, waitFor, TaskGroup)";
const ISSUE4 = "Issue 4: queues and locks";
const ISSUE5 = "Issue 5: streams";
const ISSUE6 = "Issue 6: http-status";
const ISSUE7 = "Issue 7: thread bridge";

export const WORKLOADS = [
  {
    id: "spawn-sleep0",
    group: ISSUE2,
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
    group: ISSUE2,
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
    group: ISSUE2,
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
    group: ISSUE2,
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

  // ---- issue 3 ---------------------------------------------------------------
  {
    id: "gather-sleep",
    group: ISSUE3,
    title: "5. gather 100k children that each sleep a random 0-10 ms",
    metric: "seconds",
    baseline: "promise",
    extras: [{ key: "latenessMs", label: "mean wake-up lateness", format: ms }],
    impls: [
      { id: "promise", lang: "node", script: "gather-sleep.mjs", n: K100, label: "Node: Promise.all of a setTimeout promise each", short: "Promise.all" },
      { id: "callbacks", lang: "node", script: "gather-sleep.mjs", n: K100, label: "Node: raw setTimeout callbacks and a counter (floor)", short: "raw setTimeout" },
      { id: "gen", lang: "node", script: "gather-sleep.mjs", n: K100, label: "asyncio-ts gather, generator children" },
      { id: "async", lang: "node", script: "gather-sleep.mjs", n: K100, label: "asyncio-ts gather, async children" },
      { id: "cpython", lang: "python", script: "gather_sleep.py", n: K100, label: "CPython asyncio.gather", short: "CPython" },
    ],
    targets: [
      { impl: "gen", maxValue: 0.3, text: "<= 0.3 s" },
      { impl: "gen", field: "latenessMs", vs: "promise", text: "mean lateness <= Promise.all's" },
      { impl: "async", maxValue: 0.3, text: "<= 0.3 s" },
      { impl: "async", field: "latenessMs", vs: "promise", text: "mean lateness <= Promise.all's" },
    ],
    extraRatios: [
      { impl: "gen", vs: "cpython" },
      { impl: "async", vs: "cpython" },
      { impl: "gen", vs: "callbacks" },
      { impl: "async", vs: "callbacks" },
    ],
  },
  {
    id: "wait-for",
    group: ISSUE3,
    title: "6. 100k quick awaits (sleep(0), return 1) in one task: bare, and in waitFor(..., 60)",
    metric: "seconds",
    baseline: null,
    impls: [
      { id: "async-bare", lang: "node", script: "wait-for.mjs", n: K100, label: "asyncio-ts async, `await quick()`" },
      { id: "async-waitfor", lang: "node", script: "wait-for.mjs", n: K100, label: "asyncio-ts async, `await waitFor(quick, 60)`" },
      { id: "async-overhead", derive: ["async-waitfor", "async-bare"], label: "asyncio-ts async: waitFor overhead per call" },
      { id: "gen-bare", lang: "node", script: "wait-for.mjs", n: K100, label: "asyncio-ts generator, `yield* quick()`" },
      { id: "gen-waitfor", lang: "node", script: "wait-for.mjs", n: K100, label: "asyncio-ts generator, `yield* waitFor(quick(), 60)`" },
      { id: "gen-overhead", derive: ["gen-waitfor", "gen-bare"], label: "asyncio-ts generator: waitFor overhead per call" },
      { id: "cpython-bare", lang: "python", script: "wait_for.py", n: K100, label: "CPython `await quick()`" },
      { id: "cpython-waitfor", lang: "python", script: "wait_for.py", n: K100, label: "CPython `await asyncio.wait_for(quick(), 60)`" },
      { id: "cpython-overhead", derive: ["cpython-waitfor", "cpython-bare"], label: "CPython: wait_for overhead per call", short: "CPython overhead" },
    ],
    extraRatios: [
      { impl: "async-waitfor", vs: "async-bare" },
      { impl: "gen-waitfor", vs: "gen-bare" },
      { impl: "cpython-waitfor", vs: "cpython-bare" },
      { impl: "async-overhead", vs: "cpython-overhead" },
      { impl: "gen-overhead", vs: "cpython-overhead" },
    ],
  },
  {
    id: "task-group",
    group: ISSUE3,
    title: "7. one TaskGroup of 100k children that each sleep(0) once",
    metric: "seconds",
    baseline: "cpython",
    impls: [
      { id: "cpython", lang: "python", script: "task_group.py", n: K100, label: "CPython asyncio.TaskGroup", short: "CPython" },
      { id: "gen", lang: "node", script: "task-group.mjs", n: K100, label: "asyncio-ts taskGroup, generator children" },
      { id: "async", lang: "node", script: "task-group.mjs", n: K100, label: "asyncio-ts taskGroup, async children" },
    ],
  },
  // ---- issue 4 ---------------------------------------------------------------
  {
    id: "queue-pipeline",
    group: ISSUE4,
    title: "8. 1M items through a queue bounded at 100, 1 producer, 4 consumers",
    metric: "seconds",
    baseline: "cpython",
    impls: [
      { id: "cpython", lang: "python", script: "queue_pipeline.py", n: M, label: "CPython asyncio.Queue(maxsize=100)", short: "CPython" },
      { id: "effection", lang: "node", script: "queue-pipeline.mjs", n: M, label: "effection 4.1.1 createQueue (+ a counter for the bound)", short: "effection" },
      {
        id: "p-queue",
        lang: "node",
        script: "queue-pipeline.mjs",
        n: K100,
        label: "p-queue 9, concurrency 4, onSizeLessThan(100)",
        short: "p-queue",
        note: "N scaled down to 100,000 (1M takes 8-16 s here); ratio uses time per item",
      },
      { id: "stream", lang: "node", script: "queue-pipeline.mjs", n: M, label: "Node object-mode Readable (highWaterMark 100), forEach concurrency 4", short: "Node stream" },
      { id: "gen", lang: "node", script: "queue-pipeline.mjs", n: M, label: "asyncio-ts Queue, generator style" },
      { id: "async", lang: "node", script: "queue-pipeline.mjs", n: M, label: "asyncio-ts Queue, async style" },
      { id: "best", best: ["gen", "async"], label: "asyncio-ts Queue, the faster style" },
    ],
    targets: [
      { impl: "best", maxValue: 0.25, text: "<= 0.25 s" },
      { impl: "best", vs: "cpython", max: 1, text: "faster than CPython" },
      { impl: "best", vs: "effection", max: 1, text: "faster than effection" },
      { impl: "best", vs: "p-queue", max: 1, text: "faster than p-queue" },
      { impl: "best", vs: "stream", max: 1, text: "faster than a Node stream" },
    ],
  },
  {
    id: "lock-pair",
    group: ISSUE4,
    title: "9. 1M uncontended Lock acquire/release pairs in one task (per op = one pair)",
    metric: "seconds",
    baseline: "cpython",
    impls: [
      { id: "cpython", lang: "python", script: "lock_pair.py", n: M, label: "CPython asyncio.Lock", short: "CPython" },
      { id: "gen", lang: "node", script: "lock-pair.mjs", n: M, label: "asyncio-ts Lock, `yield* lock.acquire()`" },
      { id: "async", lang: "node", script: "lock-pair.mjs", n: M, label: "asyncio-ts Lock, `await lock.acquire()`" },
    ],
  },
  // ---- issue 5 ---------------------------------------------------------------
  {
    id: "streams-bulk",
    group: ISSUE5,
    title: "10. bulk: 256 MiB echoed through a local server in 64 KiB chunks (MB/s, higher is better; N = chunks)",
    metric: "mbps",
    kind: "rate",
    unit: "MB/s",
    baseline: "net",
    extras: [PEAK_RSS],
    impls: [
      { id: "net", lang: "node", script: "streams-bulk.mjs", n: 4096, label: "raw node:net, server `socket.pipe(socket)`", short: "raw node:net" },
      { id: "async", lang: "node", script: "streams-bulk.mjs", n: 4096, label: "asyncio-ts streams (openConnection / startServer)" },
      { id: "cpython", lang: "python", script: "streams_bulk.py", n: 4096, label: "CPython asyncio streams", short: "CPython" },
    ],
    targets: [{ impl: "async", vs: "net", min: 0.9, text: ">= 90% of raw node:net" }],
    extraRatios: [{ impl: "async", vs: "cpython" }],
  },
  {
    id: "streams-chatty",
    group: ISSUE5,
    title: "11. chatty: 200 connections x 500 request/response lines (round trips/s, higher is better)",
    metric: "roundTripsPerSecond",
    kind: "rate",
    unit: "round trips/s",
    baseline: "net",
    extras: [PEAK_RSS],
    impls: [
      { id: "net", lang: "node", script: "streams-chatty.mjs", n: K100, label: "raw node:net with callbacks", short: "raw node:net" },
      { id: "async", lang: "node", script: "streams-chatty.mjs", n: K100, label: "asyncio-ts streams, readline / write + drain" },
      { id: "cpython", lang: "python", script: "streams_chatty.py", n: K100, label: "CPython asyncio streams", short: "CPython" },
    ],
    targets: [{ impl: "async", vs: "net", min: 0.9, text: ">= 90% of raw node:net" }],
    extraRatios: [{ impl: "async", vs: "cpython" }],
  },
  // ---- issue 6 ---------------------------------------------------------------
  {
    id: "http-status",
    group: ISSUE6,
    title: "12. http-status: 5,000 URLs at concurrency 100 against a local server in its own process (URLs/s, higher is better)",
    metric: "urlsPerSecond",
    kind: "rate",
    unit: "URLs/s",
    baseline: "net",
    extras: [PEAK_RSS, { key: "cpuSeconds", label: "CPU time", format: (x) => `${x.toFixed(2)} s` }],
    // The script takes `<impl> <n> <concurrency>` (the CPython one `<n> <concurrency>`) and checks every status is 200.
    verify: (v, n) => (v.n === n && v.concurrency === 100 ? null : `ran n=${v.n} at concurrency ${v.concurrency}`),
    impls: [
      { id: "net", lang: "node", script: "http-status.mjs", n: 5000, args: (n) => ["net", String(n), "100"], label: "bare node:net client, 100 at a time", short: "bare node:net" },
      { id: "asyncio-ts", lang: "node", script: "http-status.mjs", n: 5000, args: (n) => ["asyncio-ts", String(n), "100"], label: "@asyncio-ts/http-status checkMany()" },
      { id: "fetch", lang: "node", script: "http-status.mjs", n: 5000, args: (n) => ["fetch", String(n), "100"], label: "Node fetch (HEAD), 100 at a time", short: "fetch" },
      { id: "cpython", lang: "python", script: "http_status.py", n: 5000, args: (n) => [String(n), "100"], label: "CPython: the seed program (open_connection + Semaphore)", short: "CPython" },
    ],
    targets: [{ impl: "asyncio-ts", vs: "net", min: 0.9, text: ">= 90% of bare node:net" }],
    extraRatios: [
      { impl: "asyncio-ts", vs: "fetch" },
      { impl: "asyncio-ts", vs: "cpython" },
    ],
  },
  {
    id: "http-status-memory",
    group: ISSUE6,
    title: "13. http-status: peak RSS over a lazy stream of input URLs (checkMany, order: input, concurrency 100)",
    metric: "urlsPerSecond",
    kind: "rate",
    unit: "URLs/s",
    baseline: null,
    reps: 1, // one long run; the figure that matters is a peak, not a time
    extras: [PEAK_RSS],
    verify: (v, n) => (v.seen === n && v.ok === n ? null : `saw ${v.seen} results, ${v.ok} of them 200, of ${n} URLs`),
    impls: [
      {
        id: "memory",
        lang: "node",
        script: "http-status.mjs",
        n: K100,
        args: (n) => ["memory", String(n), "100"],
        label: "@asyncio-ts/http-status checkMany() over a generator of URLs",
        note: "N scaled down from 1,000,000 to 100,000: every URL is a real request, 1M would take 4-9 minutes; with lazy input the peak should not grow with N (compare the 5,000-URL row above)",
      },
    ],
    targets: [{ impl: "memory", field: "peakRssMb", maxValue: 200, text: "peak RSS < 200 MB (at 100k URLs, not 1M)" }],
  },
  // ---- issue 7 ---------------------------------------------------------------
  {
    id: "threads-cpu",
    group: ISSUE7,
    // No --max-old-space-size: @asyncio-ts/threads hands process.execArgv to its
    // Worker threads, and Worker rejects V8 heap flags (ERR_WORKER_INVALID_EXEC_ARGV).
    nodeFlags: [],
    title: "14. 2,000 CPU tasks (SHA-256 of 64 KiB, 50 times) (tasks/s, higher is better)",
    metric: "tasksPerSecond",
    kind: "rate",
    unit: "tasks/s",
    baseline: "sequential",
    impls: [
      { id: "sequential", lang: "node", script: "threads-cpu.mjs", n: 2000, label: "Node, one after another on the main thread", short: "sequential" },
      { id: "ours", lang: "node", script: "threads-cpu.mjs", n: 2000, label: "asyncio-ts toThread(moduleFunction), all at once" },
      { id: "to_thread", lang: "python", script: "threads_cpu.py", n: 2000, label: "CPython asyncio.to_thread, all at once (gather)", short: "CPython to_thread" },
      {
        id: "process_pool",
        lang: "python",
        script: "threads_cpu.py",
        n: 2000,
        label: "CPython loop.run_in_executor(ProcessPoolExecutor(os.cpu_count())), all at once (gather)",
        short: "CPython ProcessPoolExecutor",
        verify: (v) => (Number.isInteger(v.workers) && v.workers > 0 ? null : `ran with ${v.workers} worker processes`),
      },
      {
        id: "piscina",
        lang: "node",
        script: "threads-cpu.mjs",
        n: 2000,
        label: "Piscina 5.3.2, same worker file and task, maxThreads = cores, all at once",
        short: "Piscina",
        verify: (v) => (v.maxThreads === v.workers ? null : `ran with maxThreads ${v.maxThreads}, not one per core (${v.workers})`),
      },
    ],
    targets: [
      { impl: "ours", vs: "sequential", min: 1.85, text: ">= 1.85x sequential (2 cores)" },
      { impl: "ours", vs: "piscina", min: 1, text: "ahead of Piscina" },
    ],
    extraRatios: [
      { impl: "ours", vs: "to_thread" },
      { impl: "ours", vs: "process_pool" },
    ],
  },
  {
    id: "threads-noop",
    group: ISSUE7,
    // No --max-old-space-size: @asyncio-ts/threads hands process.execArgv to its
    // Worker threads, and Worker rejects V8 heap flags (ERR_WORKER_INVALID_EXEC_ARGV).
    nodeFlags: [],
    title: "15. 100k no-op calls moved to a thread, all at once (per op = per call)",
    metric: "seconds",
    baseline: "noop-cpython",
    impls: [
      {
        id: "noop-cpython",
        lang: "python",
        script: "threads_cpu.py",
        n: 20_000,
        args: (n) => ["noop", String(n)],
        label: "CPython asyncio.to_thread(noop)",
        short: "CPython",
        note: "N scaled down to 20,000 (100k takes ~10 s a run); ratio uses time per call",
      },
      { id: "noop", lang: "node", script: "threads-cpu.mjs", n: K100, label: "asyncio-ts toThread(() => undefined)" },
      {
        id: "piscina-noop",
        lang: "node",
        script: "threads-cpu.mjs",
        n: K100,
        label: "Piscina 5.3.2 run(null, { name: \"noop\" }), maxThreads = cores",
        short: "Piscina",
        verify: (v) => (v.maxThreads === v.workers ? null : `ran with maxThreads ${v.maxThreads}, not one per core (${v.workers})`),
      },
    ],
    targets: [{ impl: "noop", vs: "piscina-noop", max: 1, text: "per-call overhead not slower than Piscina" }],
  },
];
