import type { ReadableDb } from '../connection/sql';

export type FullTextProgress = Readonly<{ indexed: number; total: number; complete: boolean }>;

/** How far the full-text index has got (rows up to `fts_indexed_upto` are searchable). */
export function fullTextProgress(db: ReadableDb): FullTextProgress {
  const row = db.prepare("SELECT value FROM kv WHERE key = 'fts_indexed_upto'").get() as { value: string } | undefined;
  const upto = row === undefined ? 0 : Number(row.value);
  const max = (db.prepare('SELECT coalesce(max(id), 0) AS m FROM events').get() as { m: number }).m;
  const indexed = (db.prepare('SELECT count(*) AS n FROM events WHERE id <= ?').get(upto) as { n: number }).n;
  const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  return { indexed, total, complete: upto >= max };
}

/** Cheap: whether every event is searchable (no counting). */
export function fullTextComplete(db: ReadableDb): boolean {
  const row = db.prepare("SELECT value FROM kv WHERE key = 'fts_indexed_upto'").get() as { value: string } | undefined;
  const max = (db.prepare('SELECT coalesce(max(id), 0) AS m FROM events').get() as { m: number }).m;
  return (row === undefined ? 0 : Number(row.value)) >= max;
}
