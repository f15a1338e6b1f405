/**
 * Turns raw measurements into table rows (medians, ratios, target verdicts)
 * and renders them as markdown and as plain text for the terminal.
 */

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * @param workload an entry of WORKLOADS
 * @param measured Map implId -> { n, runs: object[], error?: string }
 * @returns rows: { id, label, n, value, perOp, heap, min, max, runs, ratios, targets, note, error }
 */
export function buildRows(workload, measured) {
  const metric = workload.metric;
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
        error: ok ? null : `needs ${impl.derive.join(" and ")}`,
        derived: `median(${impl.derive[0]}) - median(${impl.derive[1]})`,
      };
    } else {
      const m = measured.get(impl.id) ?? { n: impl.n, runs: [], error: "not run" };
      const values = m.runs.map((r) => r[metric]);
      const heaps = m.runs.map((r) => r.heapBytes).filter((h) => typeof h === "number");
      row = {
        n: m.n,
        runs: values,
        value: values.length ? median(values) : null,
        min: values.length ? Math.min(...values) : null,
        max: values.length ? Math.max(...values) : null,
        heap: heaps.length ? median(heaps) : null,
        error: m.error ?? null,
      };
    }
    row.id = impl.id;
    row.label = impl.label;
    row.short = impl.short ?? impl.label;
    row.note = impl.note ?? null;
    row.perOp = row.value === null ? null : metric === "seconds" ? row.value / row.n : row.value;
    byId.set(impl.id, row);
  }

  for (const row of byId.values()) {
    const vsIds = [];
    if (workload.baseline && row.id !== workload.baseline) vsIds.push(workload.baseline);
    for (const t of [...(workload.targets ?? []), ...(workload.extraRatios ?? [])]) {
      if (t.impl === row.id && t.vs && !vsIds.includes(t.vs)) vsIds.push(t.vs);
    }
    row.ratios = vsIds.map((vs) => {
      const base = byId.get(vs);
      const value = row.perOp !== null && base.perOp ? row.perOp / base.perOp : null;
      return { vs, vsName: base.short, value };
    });
    row.isBaseline = row.id === workload.baseline;
    row.targets = (workload.targets ?? [])
      .filter((t) => t.impl === row.id)
      .map((t) => {
        let pass = null;
        if (t.vs) {
          const r = row.ratios.find((x) => x.vs === t.vs);
          if (r?.value !== null && r?.value !== undefined) pass = r.value <= t.max;
        } else if (row.value !== null) {
          pass = row.value <= t.maxValue;
        }
        return { text: t.text, pass };
      });
  }
  return [...byId.values()];
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

export function formatN(n) {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

function formatRatio(r) {
  if (r.value === null) return `— vs ${r.vsName}`;
  const text = `${r.value.toFixed(r.value < 0.1 ? 3 : 2)}x ${r.vsName}`;
  return r.value > 0 && r.value < 0.5 ? `${text} (${(1 / r.value).toFixed(1)}x faster)` : text;
}

function verdict(pass) {
  return pass === null ? "n/a" : pass ? "PASS" : "FAIL";
}

/** The cells of one row, each a list of lines. */
function cells(workload, row, first) {
  const isTime = workload.metric === "seconds";
  const fmt = isTime ? formatSeconds : formatBytes;
  const notes = [];
  if (row.note) notes.push(row.note);
  if (row.derived) notes.push(row.derived);
  if (row.heap !== null) notes.push(`V8 heap: ${formatBytes(row.heap)}`);
  if (row.error) notes.push(`ERROR: ${row.error}`);
  return {
    workload: first ? [workload.title] : [""],
    impl: [row.label],
    n: [formatN(row.n)],
    median: [isTime ? fmt(row.value) : `${fmt(row.value)} / task`],
    perOp: [isTime ? fmt(row.perOp) : "—"],
    spread: [row.min === null || row.min === undefined ? "—" : `${fmt(row.min)} – ${fmt(row.max)}`],
    ratio: row.isBaseline ? ["1.00x (baseline)"] : row.ratios.length ? row.ratios.map(formatRatio) : ["—"],
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

export function renderMarkdown(suiteResults) {
  const esc = (s) => s.replaceAll("|", "\\|");
  const lines = [`| ${COLUMNS.map(([, h]) => h).join(" | ")} |`, `|${COLUMNS.map(() => " --- ").join("|")}|`];
  for (const { workload, rows } of suiteResults) {
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
  return lines.join("\n");
}

export function renderText(suiteResults) {
  const cols = COLUMNS.filter(([k]) => k !== "workload" && k !== "notes");
  const out = [];
  for (const { workload, rows } of suiteResults) {
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
  return out.join("\n");
}

/** Every target with its verdict, for the summary line. */
export function targetSummary(suiteResults) {
  const all = suiteResults.flatMap(({ rows }) => rows.flatMap((r) => r.targets.map((t) => ({ row: r.label, ...t }))));
  return { total: all.length, passed: all.filter((t) => t.pass === true).length, all };
}
