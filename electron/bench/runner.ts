/**
 * Benchmark runner (bundled by scripts/bench.mjs into .bench/dist/runner.js; run in a child process so
 * the parent can measure the whole process). Prints one JSON object on stdout per command.
 *
 *   node .bench/dist/runner.js create <case.dossier>
 *   node .bench/dist/ingest-launcher.js ingest <case.dossier> <folder> [--tz UTC] [--batch-rows N]
 *   node .bench/dist/runner.js reopen <case.dossier>
 *   node .bench/dist/runner.js limits      (node flags `ingest` needs: none since session 10; see below)
 *
 * `ingest` runs runIngestJob itself (timeIngestJob: its `onPhase` hook), in the worker thread that
 * ingest-launcher.ts starts with the app's ingest worker limits, and reports each phase's wall
 * and CPU time: read/parse/store (runIngest, including the per-evidence hist_minute rollup), each
 * timeline index, ANALYZE, the UNIQUE_ID cache, the detectors, the full-text build and the final
 * checkpoint (POST_INGEST_PHASES: the same list the app runs, so the two cannot drift).
 * (`runner.js ingest` run directly keeps the job on the main thread, with whatever node flags it is given.)
 * `reopen` opens the case as the app does (openCaseFile: lock, quick_check, pragmas) and runs the
 * histogram over the whole range from the rollup, then a few timeline queries.
 */
import Database from 'better-sqlite3';
import { statSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { closeCaseFile, createCaseFile, openCaseFile } from '../db/case-file';
import { jobPhaseNames } from '../workers/ingest/run-ingest-job';
import { timeIngestJob } from './time-ingest-job';

type Json = Record<string, unknown>;

/** Marks the start of a phase on stderr (the same marker as PHASE_MARK in scripts/bench/proc.mjs, which reads it). */
const PHASE_MARK = '@@dossier-phase ';

function out(result: Json): void {
  const line = `${JSON.stringify(result)}\n`;
  if (parentPort === null) {
    process.stdout.write(line);
  } else {
    // from the job's worker: the main thread writes it (a worker's stdout is forwarded asynchronously)
    parentPort.postMessage(line);
  }
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Peak of the JS heap and of off-heap buffers, sampled while the event loop gets a turn. */
function memorySampler(): { stop: () => Json } {
  const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, rss: 0 };
  const sample = (): void => {
    const m = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
    peak.external = Math.max(peak.external, m.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    peak.rss = Math.max(peak.rss, m.rss);
  };
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      const mb = (n: number): number => Math.round(n / 1048576);
      return { heapUsedMb: mb(peak.heapUsed), heapTotalMb: mb(peak.heapTotal), externalMb: mb(peak.external), arrayBuffersMb: mb(peak.arrayBuffers), rssMb: mb(peak.rss) };
    },
  };
}

function createCommand(casePath: string): void {
  const open = createCaseFile({
    path: casePath, name: 'bench', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 'bench', appVersion: 'bench',
  });
  closeCaseFile(open);
  out({ command: 'create', case: casePath });
}

async function ingestCommand(casePath: string, root: string, timeZone: string, batchRows: number | undefined): Promise<void> {
  const t0 = performance.now();
  const mem = memorySampler();
  let readingStarted: number | null = null;
  // With --expose-gc: the live JS heap once the read is done (peaks above are mostly uncollected garbage
  // or real retention; this tells which). Taken in the phase hook: not counted in any phase.
  let liveHeapAfterIngestMb: number | null = null;
  let walBeforeFts = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  // Phase boundaries for the parent's RSS sampler (scripts/bench/proc.mjs): a line on stderr, written
  // synchronously to the descriptor, so the parent knows which phase each of its samples belongs to while
  // this thread is busy inside SQLite. Not process.stderr: in a worker, its writes wait for the worker's
  // event loop, which a synchronous index build holds for seconds. No sampler runs in this process: it
  // would add to what it measures.
  const order = jobPhaseNames();
  const mark = (phase: string): void => void writeSync(2, `${PHASE_MARK}${phase}\n`);
  mark('ingest');
  // The job itself (runIngestJob: same connection set-up, same phases, same order), timed per phase.
  const timed = await timeIngestJob(
    { dbPath: casePath, options: { root, timeZone, ...(batchRows === undefined ? {} : { batchRows }) } },
    {
      onProgress: (p) => {
        if (p.phase === 'reading' && readingStarted === null) {
          readingStarted = performance.now();
        }
      },
      afterPhase: (name) => {
        mark(order[order.indexOf(name) + 1] ?? 'after');
        if (name === 'ingest' && typeof gc === 'function') {
          gc();
          liveHeapAfterIngestMb = Math.round(process.memoryUsage().heapUsed / 1048576);
        }
        if (name === 'findings') {
          walBeforeFts = fileSize(`${casePath}-wal`);
        }
      },
    },
  );
  const { summary, phases, phasesCpu } = timed;
  if (summary.status !== 'complete') {
    throw new Error(`ingest ended ${summary.status}`);
  }
  const totalMs = Math.round(performance.now() - t0);
  const tStats = performance.now();
  const db = new Database(casePath, { fileMustExist: true, timeout: 15_000 });
  const counts = db.prepare('SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM hist_minute) AS histRows, (SELECT count(*) FROM strings) AS strings, (SELECT count(*) FROM ips) AS ips, (SELECT count(*) FROM raw_blocks) AS rawBlocks, (SELECT count(*) FROM findings) AS findings, (SELECT coalesce(sum(decoded), 0) FROM uid_evidence) AS uniqueIds').get() as Json;
  const pages = (name: string): number => {
    const r = db.prepare(`SELECT sum(pgsize) AS b FROM dbstat WHERE name = ?`).get(name) as { b: number | null } | undefined;
    return Math.round((r?.b ?? 0) / 1048576);
  };
  let tableMb: Json;
  try {
    tableMb = {
      events: pages('event_rows'), raw_blocks: pages('raw_blocks'), strings: pages('strings'), events_ts: pages('events_ts'),
      events_src_ip: pages('events_src_ip'), events_status_rare: pages('events_status_rare'), events_fts_data: pages('events_fts_data'), hist_minute: pages('hist_minute'),
      uid_events: pages('uid_events'), uid_pieces: pages('uid_pieces'),
    };
  } catch {
    tableMb = { note: 'dbstat not compiled in' };
  }
  db.close();
  // the counts and dbstat above: bench bookkeeping, not part of an ingest
  phases['statsMs'] = Math.round(performance.now() - tStats);
  const memory = mem.stop();
  const cpu = process.cpuUsage();
  out({
    command: 'ingest',
    case: casePath,
    root,
    lines: summary.lines,
    bytes: summary.bytes,
    evidence: summary.evidence.map((e) => ({ path: e.path, format: e.format, lines: e.lines, events: e.events, rawOnly: e.rawOnly, first: e.first, last: e.last })),
    phases,
    phasesCpu,
    phaseOrder: jobPhaseNames(),
    firstReadAfterMs: readingStarted === null ? null : Math.round((readingStarted as number) - t0),
    totalMs,
    processUptimeMs: Math.round(process.uptime() * 1000),
    cpuUserMs: Math.round(cpu.user / 1000),
    cpuSystemMs: Math.round(cpu.system / 1000),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    memoryPeaks: memory,
    liveHeapAfterIngestMb,
    execArgv: process.execArgv,
    walBeforeFtsMb: Math.round(walBeforeFts / 1048576),
    dbMb: Math.round(fileSize(casePath) / 1048576),
    walMb: Math.round(fileSize(`${casePath}-wal`) / 1048576),
    counts,
    tableMb,
  });
}

function timeIt<T>(fn: () => T): [T, number] {
  const s = performance.now();
  const r = fn();
  return [r, Math.round((performance.now() - s) * 100) / 100];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function reopenCommand(casePath: string): void {
  const [open, openMs] = timeIt(() => openCaseFile(casePath));
  const db = open.db;
  const histSql = 'SELECT minute, sum(n) AS n FROM hist_minute GROUP BY minute ORDER BY minute';
  const [hist, histMs] = timeIt(() => db.prepare(histSql).all() as Array<{ minute: number; n: number }>);
  const firstHistogramMs = Math.round(performance.now());
  const histEvents = hist.reduce((s, r) => s + r.n, 0);
  // A first line as soon as the histogram is there: the parent times spawn -> this line.
  out({ command: 'reopen-histogram', firstHistogramMs, buckets: hist.length });

  const queries: Record<string, Json> = {};
  const plan = (q: string, params: unknown[]): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
  const measure = (name: string, q: string, params: unknown[], mode: 'all' | 'get'): unknown => {
    const st = db.prepare(q);
    const [first, firstMs] = timeIt(() => (mode === 'all' ? st.all(...params) : st.get(...params)));
    const warm: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      warm.push(timeIt(() => (mode === 'all' ? st.all(...params) : st.get(...params)))[1]);
    }
    queries[name] = { firstMs, warmMedianMs: median(warm), rows: Array.isArray(first) ? first.length : 1, plan: plan(q, params) };
    return first;
  };
  const cols = 'id, evidence_id, line_no, ts, flags, kind, sev, src_ip, method, path, status, bytes, message';
  const page1 = measure('first200ByTs', `SELECT ${cols} FROM events ORDER BY ts, id LIMIT 200`, [], 'all') as Array<{ id: number; ts: number }>;
  const last = page1[page1.length - 1] ?? { id: 0, ts: 0 };
  measure('keysetNextPage', `SELECT ${cols} FROM events WHERE (ts, id) > (?, ?) ORDER BY ts, id LIMIT 200`, [last.ts, last.id], 'all');
  measure('keysetNextPageOr', `SELECT ${cols} FROM events WHERE ts > ? OR (ts = ? AND id > ?) ORDER BY ts, id LIMIT 200`, [last.ts, last.ts, last.id], 'all');
  const range = db.prepare('SELECT min(ts) AS lo, max(ts) AS hi FROM events').get() as { lo: number; hi: number };
  const mid = Math.floor((range.lo + range.hi) / 2 / 3_600_000) * 3_600_000;
  const midRow = db.prepare('SELECT ts, id FROM events WHERE ts >= ? ORDER BY ts, id LIMIT 1').get(mid) as { ts: number; id: number } | undefined;
  measure('keysetPageMidRange', `SELECT ${cols} FROM events WHERE (ts, id) > (?, ?) ORDER BY ts, id LIMIT 200`, [midRow?.ts ?? mid, midRow?.id ?? 0], 'all');
  measure('keysetPageMidRangeOr', `SELECT ${cols} FROM events WHERE ts > ? OR (ts = ? AND id > ?) ORDER BY ts, id LIMIT 200`, [midRow?.ts ?? mid, midRow?.ts ?? mid, midRow?.id ?? 0], 'all');
  const count = measure('hourWindowCount', 'SELECT count(*) AS n FROM events WHERE ts >= ? AND ts < ?', [mid, mid + 3_600_000], 'get') as { n: number };
  queries['hourWindowCount'] = { ...queries['hourWindowCount'], count: count.n };
  measure('hourWindowHistogram', 'SELECT ts / 60000 AS minute, count(*) AS n FROM events WHERE ts >= ? AND ts < ? GROUP BY 1', [mid, mid + 3_600_000], 'all');
  measure('ftsTop100', "SELECT rowid FROM events_fts WHERE events_fts MATCH 'passwd OR root' ORDER BY rowid DESC LIMIT 100", [], 'all');
  const [, quickCheckMs] = timeIt(() => db.pragma('quick_check'));
  closeCaseFile(open);
  out({
    command: 'reopen',
    case: casePath,
    openMs,
    histMs,
    histBuckets: hist.length,
    histEvents,
    firstHistogramMs,
    quickCheckWarmMs: quickCheckMs,
    queries,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  });
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const positional = rest.filter((a, i) => !a.startsWith('--') && !(rest[i - 1] ?? '').startsWith('--'));
  switch (command) {
    case 'create':
      createCommand(positional[0] ?? '');
      return;
    case 'ingest': {
      const batch = arg(rest, 'batch-rows');
      await ingestCommand(positional[0] ?? '', positional[1] ?? '', arg(rest, 'tz') ?? 'UTC', batch === undefined ? undefined : Number(batch));
      return;
    }
    case 'reopen':
      reopenCommand(positional[0] ?? '');
      return;
    case 'limits':
      // `ingest` gets the app's limits from ingest-launcher.js's worker: no node flags (older runners
      // answered with --max-semi-space-size, which bench.mjs and alternate.mjs still apply to them)
      out({ command: 'limits', nodeArgs: [], launcher: 'ingest-launcher.js' });
      return;
    default:
      throw new Error(`unknown command ${command ?? ''} (create | ingest | reopen | limits)`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
