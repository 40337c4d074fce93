/**
 * Findings benchmark (`node scripts/bench-findings.mjs [--size 5m]`): ingests the generated access
 * log once (kept under .bench/cases, no full-text index), then times, in a fresh connection:
 * - `webRules`: the whole web rule set over every access line (prefilter, rules on candidates,
 *   user-agent rules once per distinct agent), no rate counting;
 * - `accessPass`: the same pass with the per-IP / per-/24 / POST-burst counters;
 * - `allDetectors`: every detector, nothing written.
 * Prints JSON: wall-clock `ms` and the process's CPU time `cpuMs` (the machine may be shared).
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { DEFAULT_DETECTOR_PARAMS } from '../../shared/domain/findings';
import { closeCaseFile, createCaseFile } from '../db/case-file';
import { asWritable } from '../db/connection/sql';
import { evidenceRanges } from '../db/queries/findings';
import { detectAll, loadWebRules, scanAccess } from '../services/findings-service';
import { runIngest } from '../workers/ingest/ingest-engine';
import { ensureTimelineIndexes } from '../workers/ingest/post-ingest';
import { configureIngestConnection } from '../workers/ingest/run-ingest-job';

const [folder, casePath, rulesPath] = process.argv.slice(2);
if (folder === undefined || casePath === undefined || rulesPath === undefined) {
  console.error('usage: findings.js <access-log-folder> <case.dossier> <web.yaml>');
  process.exit(2);
}

async function main(): Promise<void> {
  let ingestMs: number | null = null;
  if (!existsSync(casePath as string)) {
    closeCaseFile(createCaseFile({ path: casePath as string, name: 'findings bench', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 'bench', appVersion: 'bench' }));
    const db = new Database(casePath as string);
    configureIngestConnection(db);
    const t = performance.now();
    const s = await runIngest(asWritable(db), { root: folder as string, timeZone: 'UTC' });
    ensureTimelineIndexes(asWritable(db));
    ingestMs = Math.round(performance.now() - t);
    console.error(`ingested ${s.lines} lines in ${ingestMs} ms`);
    db.close();
  }
  if (process.env['FINDINGS_BENCH_INGEST_ONLY'] === '1') {
    return;
  }
  const db = asWritable(new Database(casePath as string, { readonly: false }));
  db.pragma('query_only = ON');
  const set = loadWebRules(rulesPath);
  const ranges = evidenceRanges(db, ['apache_access']);
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t1 = performance.now();
  const c1 = cpu();
  const web = scanAccess(db, set, DEFAULT_DETECTOR_PARAMS, ranges, { rates: false });
  const webMs = Math.round(performance.now() - t1);
  const webCpuMs = Math.round(cpu() - c1);
  if (process.env['FINDINGS_BENCH_ONLY_WEB'] === '1') {
    console.log(JSON.stringify({ rows: web.stats.rows, webMs, webCpuMs, candidates: web.stats.candidates, hits: web.stats.hits }));
    return;
  }
  const t2 = performance.now();
  const c2 = cpu();
  const pass = scanAccess(db, set, DEFAULT_DETECTOR_PARAMS, ranges);
  const passMs = Math.round(performance.now() - t2);
  const passCpuMs = Math.round(cpu() - c2);
  const t3 = performance.now();
  const c3 = cpu();
  const all = detectAll(db, {}, set);
  const allMs = Math.round(performance.now() - t3);
  const allCpuMs = Math.round(cpu() - c3);
  const result = {
    bench: 'findings',
    rows: web.stats.rows,
    rules: set.rules.length,
    ingestMs,
    webRules: { ms: webMs, cpuMs: webCpuMs, linesPerSecond: Math.round((web.stats.rows * 1000) / Math.max(1, webMs)), candidates: web.stats.candidates, hits: web.stats.hits, distinctAgents: web.stats.distinctAgents, findings: web.drafts.length },
    accessPass: { ms: passMs, cpuMs: passCpuMs, findings: pass.drafts.length },
    allDetectors: { ms: allMs, cpuMs: allCpuMs, findings: all.drafts.length, bySeverity: all.summary.bySeverity },
    node: process.version,
  };
  console.log(JSON.stringify(result, null, 2));
  db.close();
}

void main();
