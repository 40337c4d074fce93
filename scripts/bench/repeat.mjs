// `npm run bench -- --repeat N`: the same size and kind ingested N times in a row. This machine's speed
// drifts by up to ±30% between runs of the same code (docs/PERFORMANCE.md, session 4), so one run says
// little; the summary gives the median and the range of each headline figure per size and kind.

/** The figures summarised, as [label, path into a result, unit]. */
export const REPEAT_FIGURES = [
  ['lines/s (ingest + indexes)', (r) => r.ingest.linesPerSec, 'lines/s'],
  ['ingest s', (r) => r.ingest.phases.ingestMs / 1000, 's'],
  ['indexes s', (r) => r.ingest.indexMs / 1000, 's'],
  ['whole job excl. FTS s', (r) => r.ingest.jobExclFtsMs / 1000, 's'],
  ['peak RSS MB', (r) => r.ingest.peakTreeRssMb, 'MB'],
  ['reopen → histogram ms', (r) => r.reopen?.firstHistogramMs ?? null, 'ms'],
  // the lnav run beside each run (--peers): its time and the paired ratio, issue 11's throughput target
  ['lnav s', (r) => { const l = lnavOf(r); return l === undefined ? null : l.wallMs / 1000; }, 's'],
  ['lnav peak RSS MB', (r) => lnavOf(r)?.peakTreeRssMb ?? null, 'MB'],
  ['ingest + indexes / lnav', (r) => lnavOf(r)?.ingestRatio ?? null, '×'],
];

/** The lnav row among a run's peers, if lnav ran after it. */
function lnavOf(r) {
  return r.peers?.find((p) => p.tool === 'lnav');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One entry per (size, kind) that ran more than once: { size, kind, runs, figures: { label: { median, min, max } } }. */
export function summariseRuns(results) {
  const groups = new Map();
  for (const r of results) {
    const k = `${r.size}|${r.kind}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out = [];
  for (const runs of groups.values()) {
    if (runs.length < 2) {
      continue;
    }
    const figures = {};
    for (const [label, get] of REPEAT_FIGURES) {
      const xs = runs.map((r) => get(r)).filter((x) => typeof x === 'number' && Number.isFinite(x));
      figures[label] = xs.length === 0 ? null : { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
    }
    out.push({ size: runs[0].size, kind: runs[0].kind, runs: runs.length, figures });
  }
  return out;
}

/** The summary as a Markdown table: median (min–max) per figure. */
export function repeatTable(summary) {
  if (summary.length === 0) {
    return '';
  }
  const fmt = (x, unit) =>
    unit === '×' ? x.toFixed(2) : Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en') : String(Math.round(x * 10) / 10);
  const head = `| size | kind | runs | ${REPEAT_FIGURES.map(([label]) => `${label}: median (min–max)`).join(' | ')} |`;
  const lines = [head, `|---|---|--:|${REPEAT_FIGURES.map(() => '--:').join('|')}|`];
  for (const s of summary) {
    const cells = REPEAT_FIGURES.map(([label, , unit]) => {
      const f = s.figures[label];
      return f === null ? '–' : `**${fmt(f.median, unit)}** (${fmt(f.min, unit)}–${fmt(f.max, unit)})`;
    });
    lines.push(`| ${s.size} | ${s.kind} | ${s.runs} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
