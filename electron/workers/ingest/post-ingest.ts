import type { ReadableDb, WritableDb } from '../../db/connection/sql';
import { TIMELINE_INDEXES } from '../../db/indexes';
import type { WalHelper } from './checkpointer';

export { TIMELINE_INDEXES } from '../../db/indexes';

export function ensureTimelineIndexes(db: WritableDb, onStep?: (name: string, done: number, total: number) => void): void {
  TIMELINE_INDEXES.forEach((ix, i) => {
    onStep?.(ix.name, i, TIMELINE_INDEXES.length);
    createTimelineIndex(db, ix);
  });
  analyzeTimeline(db);
}

export function createTimelineIndex(db: WritableDb, ix: Readonly<{ sql: string }>): void {
  db.exec(ix.sql);
}

/** Statistics for the planner from a sample (a full ANALYZE reads every row: seconds at millions). */
export function analyzeTimeline(db: WritableDb): void {
  db.pragma('analysis_limit = 2000');
  db.exec('ANALYZE');
}

/** Pending full-text data kept in memory per chunk before it is written as a segment. */
export const FTS_HASH_BYTES = 64 * 1024 * 1024;

export type FullTextStatus = Readonly<{ indexedUpTo: number; maxEventId: number; complete: boolean }>;

function fullTextStatus(db: ReadableDb): FullTextStatus {
  const row = db.prepare("SELECT value FROM kv WHERE key = 'fts_indexed_upto'").get() as { value: string } | undefined;
  const indexedUpTo = row === undefined ? 0 : Number(row.value);
  const maxEventId = (db.prepare('SELECT coalesce(max(id), 0) AS m FROM events').get() as { m: number }).m;
  return { indexedUpTo, maxEventId, complete: indexedUpTo >= maxEventId };
}

/**
 * Brings the full-text index up to date, in chunks of rows (one short transaction each), so other
 * writers are never blocked for long, progress can be shown, and a crash or cancel resumes where it
 * stopped. Search reports "index building" until it completes.
 */
export async function buildFullText(
  db: WritableDb,
  options: Readonly<{ signal?: AbortSignal; chunkRows?: number; onProgress?: (done: number, total: number) => void; wal?: WalHelper }> = {},
): Promise<FullTextStatus> {
  const chunk = options.chunkRows ?? 100_000;
  const insert = db.prepare('INSERT INTO events_fts (rowid, message) SELECT id, message FROM events WHERE id > ? AND id <= ?');
  const mark = db.prepare("INSERT INTO kv (key, value) VALUES ('fts_indexed_upto', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  let status = fullTextStatus(db);
  const start = status.indexedUpTo;
  if (!status.complete) {
    // About one segment per chunk: FTS5 writes its pending terms out as a new segment whenever they
    // pass 'hashsize' (1 MB by default), i.e. several small segments per chunk that automerge merges
    // again later (about -20% CPU at 5M lines, no memory cost: docs/PERFORMANCE.md, session 3). A
    // table setting (kept in events_fts_config), not the table definition; the index is the same.
    db.exec(`INSERT INTO events_fts (events_fts, rank) VALUES ('hashsize', ${FTS_HASH_BYTES})`);
  }
  while (!status.complete) {
    options.signal?.throwIfAborted();
    const from = status.indexedUpTo;
    const to = Math.min(from + chunk, status.maxEventId);
    options.wal?.beforeBegin();
    db.transaction(() => {
      insert.run(from, to);
      mark.run(String(to));
    }).immediate();
    options.wal?.afterCommit();
    status = { ...status, indexedUpTo: to, complete: to >= status.maxEventId };
    options.onProgress?.(to - start, status.maxEventId - start);
    // Let messages (cancel) through between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return fullTextStatus(db);
}
