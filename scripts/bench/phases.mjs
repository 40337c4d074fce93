// The ingest benchmark's per-phase figures (scripts/bench.mjs): the phases are those runIngestJob runs,
// reported by the runner in `phaseOrder`, `phases` (wall ms) and `phasesCpu` (CPU ms).

/** The whole job as the app runs it, without the full-text build and the checkpoint after it (wall and CPU ms). */
export function jobFigures(r) {
  const names = (r.phaseOrder ?? []).filter((name) => name !== 'fts' && name !== 'checkpoint');
  const sum = (rec) => names.reduce((acc, name) => acc + (rec?.[`${name}Ms`] ?? 0), 0);
  return { exclFtsMs: sum(r.phases), exclFtsCpuMs: sum(r.phasesCpu) };
}

/** One row per phase of the job (the order runIngestJob runs them), wall and CPU seconds per run. */
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
  const head = results.map((r) => `${r.size} ${r.kind} wall s | CPU s`);
  const lines = [`| phase | ${head.join(' | ')} |`, `|---|${results.map(() => '--:|--:').join('|')}|`];
  for (const name of order) {
    lines.push(`| ${name} | ${results.map((r) => `${s(r.ingest.phases[`${name}Ms`])} | ${s(r.ingest.phasesCpu?.[`${name}Ms`])}`).join(' | ')} |`);
  }
  lines.push(`| **whole job (excl. FTS)** | ${results.map((r) => `**${s(r.ingest.jobExclFtsMs)}** | **${s(r.ingest.jobExclFtsCpuMs)}**`).join(' | ')} |`);
  return lines.join('\n');
}
