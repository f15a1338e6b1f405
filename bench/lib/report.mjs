/**
 * Turns raw measurements into table rows (medians, ratios, target verdicts)
 * and renders them as markdown and as plain text for the terminal.
 */

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** "time" (seconds, lower is better), "bytes" (per task, lower is better) or "rate" (per second, higher is better). */
export function kindOf(workload) {
  return workload.kind ?? (workload.metric === "bytes" ? "bytes" : "time");
}

/**
 * @param workload an entry of WORKLOADS
 * @param measured Map implId -> { n, runs: object[], error?: string }
 * @returns rows: { id, label, n, value, perOp, timePerOp, heap, extras, min, max, runs, ratios, targets, note, error }
 */
export function buildRows(workload, measured) {
  const metric = workload.metric;
  const kind = kindOf(workload);
  const byId = new Map();
  for (const impl of workload.impls) {
    let row;
    if (impl.derive) {
      const [a, b] = impl.derive.map((id) => byId.get(id));
      const ok = a.value !== null && b.value !== null;
      row = {
        n: a.n,
        value: ok ? a.value - b.value : null,
        heap: ok && a.heap !== null && b.heap !== null ? a.heap - b.heap : null,
        extras: {},
        error: ok ? null : `needs ${impl.derive.join(" and ")}`,
        derived: `median(${impl.derive[0]}) - median(${impl.derive[1]})`,
      };
      if (kind === "time" && ok && a.n !== b.n) row.error = `${impl.derive.join(" and ")} have different N`;
    } else if (impl.best) {
      // The better of several rows (by per-op figure): a target that "applies to the faster one".
      const candidates = impl.best.map((id) => byId.get(id)).filter((r) => r.perOp !== null);
      const better = (x, y) => (kind === "rate" ? x.perOp > y.perOp : x.perOp < y.perOp);
      const best = candidates.reduce((acc, r) => (acc === null || better(r, acc) ? r : acc), null);
      row = best
        ? { ...best, runs: null, derived: `the ${kind === "rate" ? "higher" : "faster"} of ${impl.best.join(", ")}: ${best.id}`, picked: best.id }
        : { n: byId.get(impl.best[0]).n, value: null, heap: null, extras: {}, error: `needs ${impl.best.join(" or ")}` };
      if (best) row.error = null;
    } else {
      const m = measured.get(impl.id) ?? { n: impl.n, runs: [], error: "not run" };
      const values = m.runs.map((r) => r[metric]);
      const heaps = m.runs.map((r) => r.heapBytes).filter((h) => typeof h === "number");
      const extras = {};
      for (const { key } of workload.extras ?? []) {
        const xs = m.runs.map((r) => r[key]).filter((x) => typeof x === "number");
        if (xs.length) extras[key] = median(xs);
      }
      const secs = m.runs.map((r) => r.seconds).filter((x) => typeof x === "number");
      row = {
        n: m.n,
        runs: values,
        value: values.length ? median(values) : null,
        min: values.length ? Math.min(...values) : null,
        max: values.length ? Math.max(...values) : null,
        heap: heaps.length ? median(heaps) : null,
        extras,
        timePerOp: kind === "rate" && secs.length ? median(secs) / m.n : null,
        error: m.error ?? null,
      };
    }
    row.id = impl.id;
    row.label = impl.label;
    row.short = impl.short ?? impl.label;
    row.note = impl.note ?? null;
    row.perOp = row.value === null ? null : kind === "time" ? row.value / row.n : row.value;
    byId.set(impl.id, row);
  }

  for (const row of byId.values()) {
    const vsIds = [];
    if (workload.baseline && row.id !== workload.baseline) vsIds.push(workload.baseline);
    for (const t of [...(workload.targets ?? []), ...(workload.extraRatios ?? [])]) {
      if (t.impl === row.id && t.vs && !t.field && !vsIds.includes(t.vs)) vsIds.push(t.vs);
    }
    row.ratios = vsIds.map((vs) => {
      const base = byId.get(vs);
      const value = row.perOp !== null && base.perOp ? row.perOp / base.perOp : null;
      return { vs, vsName: base.short, value };
    });
    row.isBaseline = row.id === workload.baseline;
    row.targets = (workload.targets ?? [])
      .filter((t) => t.impl === row.id)
      .map((t) => ({ text: t.text, pass: judge(t, row, byId) }));
  }
  return [...byId.values()];
}

/**
 * A target's verdict (true, false, or null when a figure is missing):
 *   { vs, max } / { vs, min }   ratio of per-op figures (this row / vs) at most / at least
 *   { maxValue } / { minValue } this row's median itself
 *   { field, maxValue }         the median of one of the workload's extras (e.g. peak RSS)
 *   { field, vs }               that extra no greater than the same extra of row `vs`
 */
function judge(t, row, byId) {
  if (t.field) {
    const v = row.extras?.[t.field];
    if (typeof v !== "number") return null;
    if (t.vs) {
      const b = byId.get(t.vs)?.extras?.[t.field];
      return typeof b === "number" ? v <= b : null;
    }
    return v <= t.maxValue;
  }
  if (t.vs) {
    const r = row.ratios.find((x) => x.vs === t.vs);
    if (r?.value === null || r?.value === undefined) return null;
    return t.min !== undefined ? r.value >= t.min : r.value <= t.max;
  }
  if (row.value === null) return null;
  return t.minValue !== undefined ? row.value >= t.minValue : row.value <= t.maxValue;
}

// ---- formatting ---------------------------------------------------------

function sig(x, digits = 3) {
  if (x === 0) return "0";
  const d = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(x))));
  return x.toFixed(Math.min(d, 6));
}

export function formatSeconds(s) {
  if (s === null) return "—";
  const a = Math.abs(s);
  if (a >= 1) return `${sig(s)} s`;
  if (a >= 1e-3) return `${sig(s * 1e3)} ms`;
  if (a >= 1e-6) return `${sig(s * 1e6)} µs`;
  return `${sig(s * 1e9)} ns`;
}

export function formatBytes(b) {
  return b === null ? "—" : `${Math.round(b)} B`;
}

/** A rate such as MB/s or round trips/s: three significant digits, thousands separated. */
export function formatRate(x, unit) {
  if (x === null) return "—";
  return `${x.toLocaleString("en-US", { maximumSignificantDigits: 3 })} ${unit}`;
}

export function formatN(n) {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

function formatRatio(r, kind) {
  if (r.value === null) return `— vs ${r.vsName}`;
  const text = `${r.value.toFixed(r.value < 0.1 ? 3 : 2)}x ${r.vsName}`;
  return kind !== "rate" && r.value > 0 && r.value < 0.5 ? `${text} (${(1 / r.value).toFixed(1)}x faster)` : text;
}

function verdict(pass) {
  return pass === null ? "n/a" : pass ? "PASS" : "FAIL";
}

/** The cells of one row, each a list of lines. */
function cells(workload, row, first) {
  const kind = kindOf(workload);
  const fmt = kind === "time" ? formatSeconds : kind === "rate" ? (x) => formatRate(x, workload.unit) : formatBytes;
  const notes = [];
  if (row.note) notes.push(row.note);
  if (row.derived) notes.push(row.derived);
  for (const { key, label, format } of workload.extras ?? []) {
    const v = row.extras?.[key];
    if (typeof v === "number") notes.push(`${label}: ${format ? format(v) : v}`);
  }
  if (row.heap !== null) notes.push(`V8 heap: ${formatBytes(row.heap)}`);
  if (row.error) notes.push(`ERROR: ${row.error}`);
  const perOp = kind === "time" ? formatSeconds(row.perOp) : kind === "rate" && row.timePerOp ? formatSeconds(row.timePerOp) : "—";
  return {
    workload: first ? [workload.title] : [""],
    impl: [row.label],
    n: [formatN(row.n)],
    median: [kind === "bytes" ? `${fmt(row.value)} / task` : fmt(row.value)],
    perOp: [perOp],
    spread: [row.min === null || row.min === undefined ? "—" : `${fmt(row.min)} – ${fmt(row.max)}`],
    ratio: row.isBaseline ? ["1.00x (baseline)"] : row.ratios.length ? row.ratios.map((r) => formatRatio(r, kind)) : ["—"],
    target: row.targets.length ? row.targets.map((t) => t.text) : [""],
    result: row.targets.length ? row.targets.map((t) => verdict(t.pass)) : [""],
    notes: notes.length ? notes : [""],
  };
}

const COLUMNS = [
  ["workload", "Workload"],
  ["impl", "Implementation"],
  ["n", "N"],
  ["median", "Median"],
  ["perOp", "Per task/op"],
  ["spread", "Min – max"],
  ["ratio", "Ratio (per op)"],
  ["target", "Target"],
  ["result", "Result"],
  ["notes", "Notes"],
];

/** Consecutive workloads of the same `group` (the issue they come from) share a table. */
function groups(suiteResults) {
  const out = [];
  for (const r of suiteResults) {
    const g = r.workload.group ?? "";
    if (out.length === 0 || out.at(-1).name !== g) out.push({ name: g, results: [] });
    out.at(-1).results.push(r);
  }
  return out;
}

export function renderMarkdown(suiteResults) {
  const esc = (s) => s.replaceAll("|", "\\|");
  const lines = [];
  for (const group of groups(suiteResults)) {
    if (lines.length) lines.push("");
    if (group.name) lines.push(`### ${group.name}`, "");
    lines.push(`| ${COLUMNS.map(([, h]) => h).join(" | ")} |`, `|${COLUMNS.map(() => " --- ").join("|")}|`);
    for (const { workload, rows } of group.results) {
      rows.forEach((row, i) => {
        const c = cells(workload, row, i === 0);
        const md = (key) => {
          const list = c[key].map(esc);
          if (key === "result") return list.map((v) => (v === "PASS" || v === "FAIL" ? `**${v}**` : v)).join("<br>");
          return list.join("<br>");
        };
        lines.push(`| ${COLUMNS.map(([k]) => md(k)).join(" | ")} |`);
      });
    }
  }
  return lines.join("\n");
}

export function renderText(suiteResults) {
  const cols = COLUMNS.filter(([k]) => k !== "workload" && k !== "notes");
  const out = [];
  for (const group of groups(suiteResults)) {
    if (group.name) out.push("", `=== ${group.name} ===`);
    for (const { workload, rows } of group.results) {
      out.push("", workload.title);
      const table = [cols.map(([, h]) => h)];
      for (const row of rows) {
        const c = cells(workload, row, false);
        const height = Math.max(...cols.map(([k]) => c[k].length));
        for (let line = 0; line < height; line++) table.push(cols.map(([k]) => c[k][line] ?? ""));
      }
      const widths = cols.map((_, i) => Math.max(...table.map((r) => r[i].length)));
      for (const r of table) out.push("  " + r.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd());
      for (const row of rows) {
        const c = cells(workload, row, false);
        if (c.notes[0]) out.push(`  * ${row.label}: ${c.notes.join("; ")}`);
      }
    }
  }
  return out.join("\n");
}

/** Every target with its verdict, for the summary line. */
export function targetSummary(suiteResults) {
  const all = suiteResults.flatMap(({ workload, rows }) =>
    rows.flatMap((r) => r.targets.map((t) => ({ workload: workload.id, row: `${workload.id}: ${r.label}`, ...t }))),
  );
  return { total: all.length, passed: all.filter((t) => t.pass === true).length, all };
}
