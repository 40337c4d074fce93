/**
 * Indexes that serve the timeline, created after the bulk load (building them once is far cheaper
 * than maintaining them row by row during it). Which query uses which is asserted with EXPLAIN
 * QUERY PLAN in electron/workers/ingest/post-ingest.test.ts. They are part of the expected schema of
 * a case (see schema-check.ts).
 *
 * The events of one evidence are found by its id range (db/queries/evidence-rows.ts), not by an index.
 *
 * Since migration 0110 the rows are in `event_rows` (`events` is a view over it). The table is spelt
 * `"event_rows"` because that is how SQLite rewrites the definition of an index that a case created
 * on `events` before the migration renamed the table: both read the same in the schema check.
 */
export const TIMELINE_INDEXES: ReadonlyArray<Readonly<{ name: string; sql: string }>> = [
  { name: 'events_ts', sql: 'CREATE INDEX IF NOT EXISTS events_ts ON "event_rows" (ts)' },
  // Pivot by address: the pages and histograms of one IP (or a few) in time order.
  { name: 'events_src_ip', sql: 'CREATE INDEX IF NOT EXISTS events_src_ip ON "event_rows" (src_ip, ts) WHERE src_ip IS NOT NULL' },
  // Pivot by user (the pivot pages, auth sessions, the timeline's user filter): only events that name one.
  { name: 'events_user', sql: 'CREATE INDEX IF NOT EXISTS events_user ON "event_rows" (user, ts) WHERE user IS NOT NULL' },
  // HTTP status filters (5xx, 404) on access logs: every status but 200, which is most of any access
  // log and which an index would not narrow (a 2xx filter reads the time order). A quarter of the rows
  // of the bench's log, built in 0.7-0.9 s at 5M lines against 2.2-2.4 s for all of them (session 9).
  // The timeline's status filter adds `e.status <> 200` when it cannot match 200, which lets SQLite use it.
  { name: 'events_status_rare', sql: 'CREATE INDEX IF NOT EXISTS events_status_rare ON "event_rows" (status, ts) WHERE status IS NOT NULL AND status <> 200' },
];

/**
 * Timeline indexes that cases of older versions hold until the migration that drops them: part of
 * those versions' expected schema (schema-check.ts), so an older case still opens and is upgraded.
 */
export const RETIRED_TIMELINE_INDEXES: ReadonlyArray<Readonly<{ name: string; sql: string; droppedIn: number }>> = [
  // Replaced by evidence id ranges (migration 0100): 1.1-1.6 s of a 5M-line ingest.
  { name: 'events_evidence_line', sql: 'CREATE INDEX IF NOT EXISTS events_evidence_line ON events (evidence_id, line_no)', droppedIn: 100 },
  // Every status, 200 included: no longer built (events_status_rare since session 9), never dropped. A
  // case ingested before keeps it until its next ingest adds the other, and it answers the same queries
  // (the planner may take either), so an upgraded case loses no index and no migration rebuilds one.
  { name: 'events_status', sql: 'CREATE INDEX IF NOT EXISTS events_status ON "event_rows" (status, ts) WHERE status IS NOT NULL', droppedIn: Number.POSITIVE_INFINITY },
];

/** The first schema version whose rows are in `event_rows` (migration 0110). */
export const EVENT_ROWS_SINCE = 110;

/** An index's statement as a case of `version` held it (before migration 0110 the table was `events`). */
export function indexSqlAt(sql: string, version: number): string {
  return version >= EVENT_ROWS_SINCE ? sql : sql.replace(' ON "event_rows" (', ' ON events (');
}
