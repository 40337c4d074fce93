// The ingest benchmark's per-phase figures (scripts/bench.mjs): the phases are those runIngestJob runs,
// reported by the runner in `phaseOrder`, `phases` (wall ms), `phasesCpu` (CPU ms) and `phasesPeakRssMb`
// (the peak RSS of the process tree during each phase, MB, sampled by scripts/bench/proc.mjs).

/** The whole job as the app runs it, without the full-text build and the checkpoint after it (wall and CPU ms). */
export function jobFigures(r) {
  const names = (r.phaseOrder ?? []).filter((name) => name !== 'fts' && name !== 'checkpoint');
  const sum = (rec) => names.reduce((acc, name) => acc + (rec?.[`${name}Ms`] ?? 0), 0);
  return { exclFtsMs: sum(r.phases), exclFtsCpuMs: sum(r.phasesCpu) };
}

/** One row per phase of the job (the order runIngestJob runs them): wall s, CPU s and peak RSS MB per run. */
export function phaseTable(results) {
  const order = [];
  for (const r of results) {
    for (const name of r.ingest.phaseOrder ?? []) {
      if (!order.includes(name)) {
        order.push(name);
      }
    }
  }
  const s = (ms) => (ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(1));
  const mb = (v) => (v === null || v === undefined ? '–' : String(v));
  const head = results.map((r) => `${r.size} ${r.kind} wall s | CPU s | peak RSS MB`);
  const lines = [`| phase | ${head.join(' | ')} |`, `|---|${results.map(() => '--:|--:|--:').join('|')}|`];
  for (const name of order) {
    lines.push(
      `| ${name} | ${results.map((r) => `${s(r.ingest.phases[`${name}Ms`])} | ${s(r.ingest.phasesCpu?.[`${name}Ms`])} | ${mb(r.ingest.phasesPeakRssMb?.[`${name}Mb`])}`).join(' | ')} |`,
    );
  }
  const jobPeak = (r) => {
    const names = (r.ingest.phaseOrder ?? []).filter((name) => name !== 'fts' && name !== 'checkpoint');
    const v = names.map((name) => r.ingest.phasesPeakRssMb?.[`${name}Mb`]).filter((x) => typeof x === 'number');
    return v.length === 0 ? null : Math.max(...v);
  };
  lines.push(`| **whole job (excl. FTS)** | ${results.map((r) => `**${s(r.ingest.jobExclFtsMs)}** | **${s(r.ingest.jobExclFtsCpuMs)}** | **${mb(jobPeak(r))}**`).join(' | ')} |`);
  return lines.join('\n');
}
