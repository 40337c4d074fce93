import Database from 'better-sqlite3';
import { asWritable } from '../../db/connection/sql';
import { runIngest, type IngestOptions, type IngestProgress, type IngestSummary } from './ingest-engine';
import { syncUniqueIds } from '../../db/queries/unique-ids';
import { runDetectors } from '../../services/findings-service';
import { buildFullText, ensureTimelineIndexes } from './post-ingest';

export type IngestJob = Readonly<{ dbPath: string; options: Omit<IngestOptions, 'signal' | 'onProgress' | 'onBatch'> & { skipFullText?: boolean } }>;
export type IngestJobHooks = Readonly<{
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  onBatch?: (evidenceId: number, rows: number) => void;
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
  db.pragma('cache_size = -65536');
  // The sorter behind CREATE INDEX may use a helper thread: the second core.
  db.pragma('threads = 2');
}

export async function runIngestJob(job: IngestJob, hooks: IngestJobHooks = {}): Promise<IngestSummary> {
  const db = new Database(job.dbPath, { fileMustExist: true, timeout: 15_000 });
  try {
    configureIngestConnection(db);
    const w = asWritable(db);
    const summary = await runIngest(w, {
      ...job.options,
      ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
      ...(hooks.onProgress === undefined ? {} : { onProgress: hooks.onProgress }),
      ...(hooks.onBatch === undefined ? {} : { onBatch: hooks.onBatch }),
    });
    if (summary.status !== 'complete') {
      return summary;
    }
    const started = Date.now();
    const indexing = (done: number, total: number, file: string): void =>
      hooks.onProgress?.({
        phase: 'indexing', filesTotal: total, filesDone: done, bytesTotal: 0, bytesDone: 0, lines: summary.lines, linesPerSecond: 0,
        etaSeconds: null, currentFile: file, elapsedMs: summary.elapsedMs + Date.now() - started,
      });
    ensureTimelineIndexes(w, (name, i, n) => indexing(i, n, `index ${name}`));
    // Decoded mod_unique_id cache for the Apache worker analysis (process.*).
    syncUniqueIds(w, (d, t) => indexing(d, t, 'UNIQUE_ID decoding'));
    // Detectors (issue 8) on this worker's connection: findings are ready when the ingest ends.
    indexing(0, 1, 'findings');
    try {
      runDetectors(w);
    } catch (error) {
      // A broken rule file must not fail the ingest; findings.run reports the error to the analyst.
      console.error(`findings: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (job.options.skipFullText === true) {
      return summary;
    }
    await buildFullText(w, { ...(hooks.signal === undefined ? {} : { signal: hooks.signal }), onProgress: (d, t) => indexing(d, t, 'full-text index') });
    db.pragma('wal_checkpoint(PASSIVE)');
    return summary;
  } finally {
    db.close();
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
