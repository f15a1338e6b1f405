// Seed: none of its own. Runs every example's Python original (main.py) and its
// TypeScript twins (main.ts, main.gen.ts) as child processes, all at once, and
// checks that they print the same thing, at the same moments.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), "..");
const PYENV_PYTHON = join(homedir(), ".pyenv", "versions", "3.12.1", "bin", "python3");
const PYTHON = existsSync(PYENV_PYTHON) ? PYENV_PYTHON : "python3";

interface Entry {
  dir: string;
  title: string;
  seed: string;
  seconds: number;
}

const manifest = JSON.parse(readFileSync(join(EXAMPLES, "examples.json"), "utf8")) as Entry[];

/** The TypeScript twins in an example's folder: main.ts first, then main.*.ts variants. */
function twinsOf(dir: string): string[] {
  return readdirSync(join(EXAMPLES, dir))
    .filter((f) => /^main(\.[\w-]+)?\.ts$/.test(f))
    .sort((a, b) => (a === "main.ts" ? -1 : b === "main.ts" ? 1 : a.localeCompare(b)));
}

// ---- running ------------------------------------------------------------------

interface Line {
  text: string;
  /** When the line reached us, in seconds (performance.now()). */
  at: number;
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  lines: Line[];
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: "1" };
  for (const key of ["ASYNCIO_TS_DEBUG", "PYTHONASYNCIODEBUG", "PYTHONDEVMODE", "NODE_OPTIONS", "FORCE_COLOR"]) {
    delete env[key];
  }
  return env;
}

function execute(command: string, args: string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const lines: Line[] = [];
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      const at = performance.now() / 1000;
      stdout += chunk;
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const text of parts) lines.push({ text, at });
    });
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", (error) => {
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}\nspawn failed: ${String(error)}`, lines });
    });
    child.on("close", (code, signal) => {
      if (partial !== "") lines.push({ text: partial, at: performance.now() / 1000 });
      resolve({ code, signal, stdout, stderr, lines });
    });
  });
}

/** At most `limit` child processes at a time: the examples mostly sleep, but node + tsx start-up costs CPU. */
function pool(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((wake) => queue.push(wake));
    active++;
    try {
      return await job();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/**
 * Examples whose lines are not spaced by sleeps but by CPU work or thread
 * start-up, whose speed differs by language: their output is compared, not its timing.
 */
const UNTIMED = new Set(["cpu-bound-debug", "cpu-bound-to-thread", "blocking-to-thread", "worker-asks-loop"]);

/** Examples that run in debug mode and print asyncio's slow-step warnings on stderr. */
const SLOW_STEP_WARNINGS = new Set(["cpu-bound-debug", "cpu-bound-to-thread"]);

const runs = new Map<string, Promise<Outcome>>();

function outcome(dir: string, file: string): Promise<Outcome> {
  const found = runs.get(`${dir}/${file}`);
  if (found === undefined) throw new Error(`${dir}/${file} was not started`);
  return found;
}

beforeAll(() => {
  const limit = Math.max(6, availableParallelism() * 3);
  const submit = pool(limit);
  const submitAfter = (after: Promise<unknown>, job: () => Promise<Outcome>): Promise<Outcome> => after.then(() => submit(job));
  const start = (dir: string, after: Promise<unknown>): Promise<Outcome>[] => {
    const cwd = join(EXAMPLES, dir);
    const started = [submitAfter(after, () => execute(PYTHON, ["-B", "-u", "main.py"], cwd))];
    runs.set(`${dir}/main.py`, started[0]);
    for (const twin of twinsOf(dir)) {
      // The "asyncio-ts-source" condition resolves asyncio-ts to its src/, as every
      // other project's tests do, so this suite needs no build.
      const args = ["--conditions=asyncio-ts-source", "--import", "tsx", twin];
      const run = submitAfter(after, () => execute(process.execPath, args, cwd));
      runs.set(`${dir}/${twin}`, run);
      started.push(run);
    }
    return started;
  };
  // Longest first, so that the whole suite takes about as long as the longest
  // example; the CPU-bound ones last, alone, so that their busy loops do not
  // delay the others' timers.
  const ordered = manifest.filter((e) => !UNTIMED.has(e.dir)).sort((a, b) => b.seconds - a.seconds);
  const timed = ordered.flatMap(({ dir }) => start(dir, Promise.resolve()));
  const allTimedDone = Promise.allSettled(timed);
  for (const { dir } of manifest.filter((e) => UNTIMED.has(e.dir))) start(dir, allTimedDone);
});

// ---- normalising --------------------------------------------------------------

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * What may differ between the two outputs: wall-clock times, measured
 * durations, and memory addresses (`<function delay at 0x7f...>` is printed
 * as `<function delay>` by the twins, whose functions have no address). A
 * Python function name is compared in camelCase (CONTRACT §0: `cpu_bound_work`
 * is `cpuBoundWork`). Nothing else.
 */
function normalise(text: string, side: "py" | "ts"): string {
  let out = text.replace(/\r\n/g, "\n");
  if (side === "py") {
    out = out.replace(/<function ([A-Za-z_][\w.]*) at 0x[0-9a-f]+>/g, (_m, name: string) => `<function ${camelCase(name)}>`);
  }
  return out
    .replace(/\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})?\b/g, "<datetime>")
    .replace(/\b\d\d:\d\d:\d\d\b/g, "<time>")
    .replace(/\bin \d+\.\d{4} second\(s\)/g, "in <duration> second(s)")
    .replace(/\bin about \d+(?:\.\d+)? s\b/g, "in about <seconds> s");
}

/** The durations printed by async_timed, in the order printed. */
function durations(text: string): number[] {
  return [...text.matchAll(/\bin (\d+\.\d{4}) second\(s\)/g)].map((m) => Number(m[1]));
}

/** Each line's arrival, in seconds after the first line's. */
function schedule(lines: Line[]): number[] {
  const first = lines[0]?.at ?? 0;
  return lines.map((l) => l.at - first);
}

/** The `%X` times printed (HH:MM:SS not part of a date). */
function clockTimes(text: string): string[] {
  return [...text.matchAll(/(?<![-\d] ?)\b(\d\d:\d\d:\d\d)\b(?!\.\d)/g)].map((m) => m[1]);
}

/** Seconds between two `%X` times (HH:MM:SS), across midnight too. */
function secondsBetween(from: string, to: string): number {
  const secs = (t: string): number => {
    const [h, m, s] = t.split(":").map(Number);
    return h * 3600 + m * 60 + s;
  };
  return (secs(to) - secs(from) + 86_400) % 86_400;
}

/** Line timing is compared to Python's within this many seconds. */
const TOLERANCE = 0.4;


// ---- the checks ---------------------------------------------------------------

describe("the examples folder", () => {
  it("lists every example folder in examples.json, and nothing else", () => {
    const onDisk = readdirSync(EXAMPLES, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(EXAMPLES, d.name, "main.py")))
      .map((d) => d.name)
      .sort();
    expect([...manifest.map((e) => e.dir)].sort()).toEqual(onDisk);
  });

  it("has a TypeScript twin beside every Python original, and at least three generator-coroutine variants", () => {
    for (const { dir } of manifest) expect(twinsOf(dir), dir).toContain("main.ts");
    const generatorTwins = manifest.filter(({ dir }) => twinsOf(dir).includes("main.gen.ts"));
    expect(generatorTwins.length).toBeGreaterThanOrEqual(3);
    for (const { dir } of generatorTwins) {
      const source = readFileSync(join(EXAMPLES, dir, "main.gen.ts"), "utf8").replace(/\/\/.*$/gm, "");
      expect(source, `${dir}/main.gen.ts`).toMatch(/function\*/);
      expect(source, `${dir}/main.gen.ts`).toMatch(/yield\*/);
      expect(source, `${dir}/main.gen.ts`).not.toMatch(/\basync\b|\bawait\b(?! run\()/);
    }
  });

  it("starts every example file with a comment naming the seed it twins", () => {
    const files = ["shared/delay.py", "shared/async_timed.py", "shared/delay.ts", "shared/async-timed.ts", "shared/py.ts"];
    for (const { dir } of manifest) files.push(`${dir}/main.py`, ...twinsOf(dir).map((t) => `${dir}/${t}`));
    for (const file of files) {
      const head = readFileSync(join(EXAMPLES, file), "utf8").split("\n", 1)[0];
      expect(head, file).toMatch(file.endsWith(".py") ? /^# Seed: / : /^\/\/ Seed: /);
    }
  });
});

for (const entry of manifest) {
  describe(`${entry.dir}: ${entry.title}`, () => {
    for (const twin of twinsOf(entry.dir)) {
      it(`${twin} prints what main.py prints`, async () => {
        const [py, ts] = await Promise.all([outcome(entry.dir, "main.py"), outcome(entry.dir, twin)]);
        expect(py.code, `main.py failed:\n${py.stderr}`).toBe(0);
        expect(ts.code, `${twin} failed (signal ${String(ts.signal)}):\n${ts.stderr}`).toBe(0);
        expect(py.stdout, "main.py printed nothing").not.toBe("");

        expect(normalise(ts.stdout, "ts")).toBe(normalise(py.stdout, "py"));

        if (!UNTIMED.has(entry.dir)) {
          // Same lines at the same moments: sleeps that overlap in Python overlap here.
          const want = schedule(py.lines);
          const got = schedule(ts.lines);
          expect(got.length).toBe(want.length);
          got.forEach((t, i) => {
            expect(Math.abs(t - want[i]), `line ${i + 1} "${ts.lines[i].text}" at +${t.toFixed(3)}s, Python's at +${want[i].toFixed(3)}s`).toBeLessThan(TOLERANCE);
          });
          // async_timed's own measurements agree with Python's too.
          const pyDurations = durations(py.stdout);
          const tsDurations = durations(ts.stdout);
          expect(tsDurations.length).toBe(pyDurations.length);
          tsDurations.forEach((d, i) => expect(Math.abs(d - pyDurations[i]), `duration ${i + 1}: ${d} vs ${pyDurations[i]}`).toBeLessThan(TOLERANCE));
          // "started at"/"finished at" (%X) are as far apart as Python's, give or take the second they round to.
          const pyTimes = clockTimes(py.stdout);
          const tsTimes = clockTimes(ts.stdout);
          expect(tsTimes.length).toBe(pyTimes.length);
          if (pyTimes.length >= 2) {
            const pyElapsed = secondsBetween(pyTimes[0], pyTimes[pyTimes.length - 1]);
            const tsElapsed = secondsBetween(tsTimes[0], tsTimes[tsTimes.length - 1]);
            expect(Math.abs(tsElapsed - pyElapsed), `${tsTimes.join(" -> ")} vs Python's ${pyTimes.join(" -> ")}`).toBeLessThanOrEqual(1);
          }
        }

        if (SLOW_STEP_WARNINGS.has(entry.dir)) {
          checkSlowStepWarning(py.stderr, ts.stderr);
        } else {
          // Nothing on stderr: no stray warnings or "Task was destroyed" reports.
          // (Python's nested/main.py warns that a coroutine was never awaited; an
          // uncalled async function or a dropped generator has no such warning.)
          expect(ts.stderr).toBe("");
        }
      });
    }
  });
}

/** Python: `Executing <Task finished name='Task-2' coro=<cpu_bound_work() done, defined at ...> result=10000000 created at ...> took 0.389 seconds`. */
function checkSlowStepWarning(pyStderr: string, tsStderr: string): void {
  const pattern = (coro: string): RegExp => new RegExp(`^Executing <Task (\\w+) name='(Task-\\d+)' coro=<${coro}\\(\\)[^\\n]*> took (\\d+\\.\\d{3}) seconds$`, "gm");
  const pyWarnings = [...pyStderr.matchAll(pattern("cpu_bound_work"))];
  const tsWarnings = [...tsStderr.matchAll(pattern("cpuBoundWork"))];
  expect(pyWarnings.length, `Python's stderr:\n${pyStderr}`).toBeGreaterThan(0);
  expect(tsWarnings.length, `the twin's stderr:\n${tsStderr}`).toBe(pyWarnings.length);
  pyWarnings.forEach((py, i) => {
    const ts = tsWarnings[i];
    expect({ state: ts[1], name: ts[2] }).toEqual({ state: py[1], name: py[2] });
    expect(Number(py[3])).toBeGreaterThanOrEqual(0.1);
    expect(Number(ts[3])).toBeGreaterThanOrEqual(0.1);
  });
  // Nothing but slow-step warnings on stderr. (Other steps may cross 0.1 s too on
  // a loaded machine, in either language, so only cpuBoundWork's are counted.)
  for (const line of tsStderr.split("\n").filter((l) => l.trim() !== "")) expect(line).toMatch(/^Executing <.*> took \d+\.\d{3} seconds$/);
}

// The helpers above are exercised here too, so that a normaliser that matched
// everything (and a test that could not fail) would show.
describe("the normaliser", () => {
  it("hides only times, durations and addresses", () => {
    expect(normalise("started at 08:38:57\n", "py")).toBe("started at <time>\n");
    expect(normalise("2026-11-23 08:38:57.964769\n2026-11-23 08:38:58\n", "py")).toBe("<datetime>\n<datetime>\n");
    expect(normalise("finished <function cpu_bound_work at 0x7f6c93638180> in 0.3889 second(s)", "py")).toBe(
      "finished <function cpuBoundWork> in <duration> second(s)",
    );
    expect(normalise("Is the future done? False", "py")).not.toBe(normalise("Is the future done? false", "ts"));
    expect(normalise("sleeping for 3 second(s)", "ts")).not.toBe(normalise("sleeping for 2 second(s)", "py"));
    expect(secondsBetween("23:59:59", "00:00:02")).toBe(3);
  });
});
