/**
 * Apache workers benchmark (`node scripts/bench-process.mjs`): ingest a generated access log whose lines all
 * carry a UNIQUE_ID (plus error log and auth.log), time the post-ingest UNIQUE_ID decoding, then the
 * real service path (dispatcher → process service → SQL aggregates): process.workers (charts) and
 * process.restarts (estimate + auth.log correlation), cold and warm. Prints JSON.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { asWritable } from '../db/connection/sql';
import { closeCaseFile, createCaseFile } from '../db/case-file';
import { syncUniqueIds } from '../db/queries/unique-ids';
import { createBackend } from '../services/registry/create-handlers';
import { createDispatcher } from '../services/registry/dispatch';
import { ensureTimelineIndexes } from '../workers/ingest/post-ingest';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { runIngest } from '../workers/ingest/ingest-engine';
import { configureIngestConnection } from '../workers/ingest/run-ingest-job';

const [folder, casePath] = process.argv.slice(2);
if (folder === undefined || casePath === undefined) {
  console.error('usage: process.js <data-folder> <case.dossier>');
  process.exit(2);
}

async function main(): Promise<void> {
  let ingest: Record<string, number> | null = null;
  if (!existsSync(casePath as string)) {
    closeCaseFile(createCaseFile({ path: casePath as string, name: 'process bench', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 'bench', appVersion: 'bench' }));
    const db = new Database(casePath as string);
    configureIngestConnection(db);
    const w = asWritable(db);
    const t0 = performance.now();
    const s = await runIngest(w, { root: folder as string, timeZone: 'UTC' });
    const t1 = performance.now();
    ensureTimelineIndexes(w);
    const t2 = performance.now();
    const cpu0 = process.cpuUsage();
    const decoded = syncUniqueIds(w);
    const cpu = process.cpuUsage(cpu0);
    const t3 = performance.now();
    db.close();
    ingest = { lines: s.lines, ingestMs: Math.round(t1 - t0), indexMs: Math.round(t2 - t1), decoded, decodeMs: Math.round(t3 - t2), decodeCpuMs: Math.round((cpu.user + cpu.system) / 1000) };
    console.error(`ingested ${s.lines} lines in ${ingest.ingestMs} ms, indexes ${ingest.indexMs} ms, decoded ${decoded} UNIQUE_IDs in ${ingest.decodeMs} ms`);
  }
  const backend = createBackend({
    appVersion: 'bench', transport: 'http', nativeDialogs: false, userDataDir: join(casePath as string, '..', 'ud-process'), defaultCaseDir: '/tmp',
    sampleEvidenceDir: null, osUser: 'bench', emit: () => undefined, now: () => new Date(), ingest: { ...inProcessIngestPort(), integrityCheck: async () => 'ok' },
  });
  const call = createDispatcher(backend.handlers);
  const opened = await call('cases.open', { path: casePath });
  if (!opened.ok) {
    throw new Error(opened.error.message);
  }
  const timed = async (method: string, input: unknown): Promise<[number, unknown]> => {
    const t = performance.now();
    const r = await call(method, input);
    const ms = performance.now() - t;
    if (!r.ok) {
      throw new Error(`${method}: ${r.error.message}`);
    }
    return [Math.round(ms), r.value];
  };
  // What the section does when it opens: both calls (the aggregates are shared through the service cache).
  const [workersColdMs, workers] = (await timed('process.workers', {})) as [number, { decodedRequests: number; points: unknown[]; lifetimes: unknown[]; gaps: unknown[] }];
  const [restartsColdMs, restarts] = (await timed('process.restarts', {})) as [number, { estimates: Array<{ kind: string; authMatch: unknown }>; authCommands: unknown[]; clockOffset: unknown }];
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [a] = await timed('process.restarts', {});
    const [b] = await timed('process.workers', {});
    warm.push(a + b);
  }
  // A brushed range (the charts re-read for a narrower window).
  const [rangeMs] = await timed('process.workers', { from: Date.UTC(2024, 2, 5), to: Date.UTC(2024, 2, 8) });
  const result = {
    bench: 'process',
    case: casePath,
    ingest,
    decodedRequests: workers.decodedRequests,
    firstOpen: { workersMs: workersColdMs, restartsMs: restartsColdMs, totalMs: workersColdMs + restartsColdMs },
    warmTotalMs: warm,
    brushedWorkersMs: rangeMs,
    points: workers.points.length,
    lifetimes: workers.lifetimes.length,
    gaps: workers.gaps.length,
    fullRestarts: restarts.estimates.filter((e) => e.kind === 'full').length,
    slotRecycles: restarts.estimates.filter((e) => e.kind === 'slot').length,
    matchedToAuth: restarts.estimates.filter((e) => e.authMatch !== null).length,
    authCommands: restarts.authCommands.length,
    clockOffset: restarts.clockOffset,
  };
  console.log(JSON.stringify(result, null, 2));
  await backend.dispose();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
