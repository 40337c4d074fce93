import Database from 'better-sqlite3';
import { asWritable, type WritableDb } from '../../db/connection/sql';
import { availableParallelism } from 'node:os';
import { RESTART_FRAMES, runIngest, type IngestOptions, type IngestProgress, type IngestSummary } from './ingest-engine';
import { defaultCheckpointWorkerFile, WalCheckpointing, type WalHelper } from './checkpointer';
import { syncUniqueIds } from '../../db/queries/unique-ids';
import { collectGarbage, releaseGarbage } from './release-memory';
import { loadWebRules, runDetectors } from '../../services/findings-service';
import { TIMELINE_INDEXES, analyzeTimeline, buildFullText, createTimelineIndex } from './post-ingest';

export type IngestJob = Readonly<{ dbPath: string; options: Omit<IngestOptions, 'signal' | 'onProgress' | 'onBatch'> & { skipFullText?: boolean } }>;
export type IngestJobHooks = Readonly<{
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  onBatch?: (evidenceId: number, rows: number) => void;
  /** After each phase of jobPhaseNames(), with its wall time (ms); the benchmark's timings. */
  onPhase?: (name: string, ms: number) => void;
}>;

/**
 * One ingest with its own write connection to the case file (WAL: the back end keeps reading and
 * writing analyst tables meanwhile): read and store, then build the timeline indexes, then the
 * full-text index in chunks (resumable). `synchronous=NORMAL` here: in WAL mode it is safe against a
 * crash of the process (every committed batch survives); only a power cut could lose the last ones.
 */
/** The ingest connection's settings (also used by the benchmark runner, so it measures the same thing). */
export function configureIngestConnection(db: Database.Database): void {
  db.pragma('trusted_schema = OFF');
  db.pragma('foreign_keys = ON');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // 8 MiB: the load appends (few pages touched), and CREATE INDEX sorts in runs of about the cache's
  // size. At 5M lines the five indexes took 12.1 s and 268 MB with 64 MiB, 8.5 s and 81 MB with 8 MiB:
  // small runs stay in the CPU's caches and the helper thread merges them (docs/PERFORMANCE.md, session 4).
  db.pragma('cache_size = -8192');
  // The sorter behind CREATE INDEX may use a helper thread: the second core.
  db.pragma('threads = 2');
  // A checkpoint (and its two fsyncs) every 4,000 pages = 64 MiB of 16 KiB pages instead of SQLite's
  // 1,000: a quarter of the fsync waits, while the WAL still fits one wal-index hash table (4,096 frames),
  // so page look-ups do not slow down as they did with 16,384 frames (docs/PERFORMANCE.md, sessions 4-5).
  db.pragma('wal_autocheckpoint = 4000');
}

/** Where a post-ingest phase reports progress: `what` names the step (an index, "findings", ...). */
export type PhaseProgress = (done: number, total: number, what: string) => void;
/** `wal`: the job's checkpoint worker, for a phase that commits in several transactions (the full text). */
export type PostIngestContext = Readonly<{ db: WritableDb; signal?: AbortSignal; progress: PhaseProgress; wal?: WalHelper }>;
export type PostIngestPhase = Readonly<{
  /** Stable name (the benchmark's JSON key is `${name}Ms`). */
  name: string;
  /** Part of the full-text build (skipped with `skipFullText`). */
  fullText: boolean;
  run: (ctx: PostIngestContext) => void | Promise<void>;
}>;

/**
 * Everything runIngestJob does after the core ingest, in order. The benchmark runner runs the job itself
 * (runIngestJob with `onPhase`), so what it times is exactly this list.
 */
export const POST_INGEST_PHASES: readonly PostIngestPhase[] = [
  ...TIMELINE_INDEXES.map(
    (ix, i): PostIngestPhase => ({
      name: `index_${ix.name}`,
      fullText: false,
      run: (c) => {
        c.progress(i, TIMELINE_INDEXES.length, `index ${ix.name}`);
        createTimelineIndex(c.db, ix);
      },
    }),
  ),
  { name: 'analyze', fullText: false, run: (c) => analyzeTimeline(c.db) },
  // Decoded mod_unique_id cache for the Apache worker analysis (process.*).
  { name: 'uniqueIds', fullText: false, run: (c) => void syncUniqueIds(c.db, (d, t) => c.progress(d, t, 'UNIQUE_ID decoding')) },
  {
    // Detectors (issue 8) on this worker's connection: findings are ready when the ingest ends.
    name: 'findings',
    fullText: false,
    run: (c) => {
      c.progress(0, 1, 'findings');
      // Two sorter threads and a 4 MiB cache for this phase: the sorters behind the GROUP BYs run in runs
      // of about the cache's size. Session 4 at 5M lines: 8 MiB and two threads 14.5-15.7 s and 271-283 MB,
      // against 16.4-16.9 s and 294-296 MB with 16 MiB and one thread, and 490 MB with 64 MiB and two
      // threads. Session 9: 4 MiB took the per-address GROUP BY's peak from 189 to 176 MB (the detectors
      // alone on the 5M case), at the same time.
      const cache = c.db.pragma('cache_size', { simple: true }) as number;
      c.db.pragma('cache_size = -4096');
      try {
        // each step's garbage collected before the next allocates (the access scan's, before its GROUP BYs'
        // sorters): the phase alone on the 5M access case peaked at 157-161 MB instead of 177-181 (docs/PERFORMANCE.md,
        // session 10)
        // (two collections each: the second hands back the pages the first emptied, before the next step's
        // SQLite sorters allocate beside them)
        runDetectors(c.db, {}, loadWebRules(), () => new Date(), { between: () => void releaseGarbage() });
      } catch (error) {
        // A broken rule file must not fail the ingest; findings.run reports the error to the analyst.
        console.error(`findings: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        c.db.pragma(`cache_size = ${cache}`);
      }
    },
  },
  {
    name: 'fts',
    fullText: true,
    run: async (c) => {
      await buildFullText(c.db, {
        ...(c.signal === undefined ? {} : { signal: c.signal }),
        ...(c.wal === undefined ? {} : { wal: c.wal }),
        onProgress: (d, t) => c.progress(d, t, 'full-text index'),
      });
    },
  },
  { name: 'checkpoint', fullText: true, run: (c) => void c.db.pragma('wal_checkpoint(PASSIVE)') },
];

/** The phases a job runs, in order: 'ingest' (the core read/parse/store), then the post-ingest phases. */
export function jobPhaseNames(skipFullText = false): string[] {
  return ['ingest', ...POST_INGEST_PHASES.filter((p) => !skipFullText || !p.fullText).map((p) => p.name)];
}

export async function runIngestJob(job: IngestJob, hooks: IngestJobHooks = {}): Promise<IngestSummary> {
  const db = new Database(job.dbPath, { fileMustExist: true, timeout: 15_000 });
  let checkpointing: WalCheckpointing | null = null;
  try {
    configureIngestConnection(db);
    const w = asWritable(db);
    const { skipFullText, ...options } = job.options;
    // One checkpoint worker for the whole job (checkpointer.ts): the load, the indexes, the full text.
    // Two cores or more, as the parse worker.
    const checkpointFile =
      options.checkpointWorker === false || options.parseWorker === false || availableParallelism() < 2 ? null : (options.checkpointWorker ?? defaultCheckpointWorkerFile());
    checkpointing = await WalCheckpointing.start(db, checkpointFile, options.checkpointRestartFrames ?? RESTART_FRAMES);
    let t = performance.now();
    const lap = (name: string): void => {
      // the phase's garbage, before the next phase allocates (release-memory.ts); counted in this phase
      collectGarbage();
      const now = performance.now();
      hooks.onPhase?.(name, now - t);
      // the hook's own time is not the next phase's
      t = performance.now();
    };
    const summary = await runIngest(w, {
      ...options,
      checkpointing,
      ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
      ...(hooks.onProgress === undefined ? {} : { onProgress: hooks.onProgress }),
      ...(hooks.onBatch === undefined ? {} : { onBatch: hooks.onBatch }),
    });
    if (summary.status !== 'complete') {
      return summary;
    }
    lap('ingest');
    const started = Date.now();
    const progress: PhaseProgress = (done, total, file) =>
      hooks.onProgress?.({
        phase: 'indexing', filesTotal: total, filesDone: done, bytesTotal: 0, bytesDone: 0, lines: summary.lines, linesPerSecond: 0,
        etaSeconds: null, currentFile: file, elapsedMs: summary.elapsedMs + Date.now() - started,
      });
    const wal = checkpointing?.helper ?? undefined;
    const ctx: PostIngestContext = { db: w, progress, ...(hooks.signal === undefined ? {} : { signal: hooks.signal }), ...(wal === undefined ? {} : { wal }) };
    for (const phase of POST_INGEST_PHASES) {
      if (phase.fullText && skipFullText === true) {
        continue;
      }
      // The WAL may restart before a phase, not between the indexes and ANALYZE: one right after the
      // other, while the worker copies the previous one's pages (a wait there would put its fsyncs back
      // in the way); the first wait is before the UNIQUE_ID phase, when that copy is about done.
      if (!phase.name.startsWith('index_') && phase.name !== 'analyze') {
        checkpointing?.helper?.beforeBegin();
      }
      await phase.run(ctx);
      checkpointing?.helper?.afterCommit();
      lap(phase.name);
    }
    return summary;
  } finally {
    try {
      await checkpointing?.stop();
    } finally {
      db.close();
    }
  }
}

/** The full PRAGMA quick_check on its own read-only-by-pragma connection ('ok' or the problems found). */
export function fullIntegrityCheck(dbPath: string): string {
  const db = new Database(dbPath, { fileMustExist: true, timeout: 15_000 });
  try {
    db.pragma('trusted_schema = OFF');
    db.pragma('query_only = ON');
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    return rows.map((r) => r.quick_check).join('; ');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    db.close();
  }
}
