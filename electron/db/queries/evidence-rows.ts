import type { ReadableDb, Sql } from '../connection/sql';

/**
 * Finding the events of one evidence without an `(evidence_id, line_no)` index.
 *
 * One writer appends an evidence's batches in line order, and records the first and last event id it
 * gave them (`evidence.first_event_id`, `last_event_id`). Within that id range, ids grow with line
 * numbers. The range is contiguous except after a resumed ingest, which may leave another evidence's
 * events in between; so every condition here is the id range (a rowid range: a B-tree seek and a walk
 * of the table in order, no index) AND `evidence_id = ?`.
 *
 * The index this replaces took 1.1-1.6 s to build for 5M lines, about 5% of the ingest
 * (docs/PERFORMANCE.md, session 6).
 */
export type EvidenceRange = Readonly<{ evidenceId: number; first: number; last: number; events: number }>;

/**
 * `evidence v` joined to its events through their id range, for queries that choose events by a column
 * of their evidence (source kind, path): the few matching evidence rows drive, and each one's events
 * are a rowid range (a join on `evidence_id` alone would scan every event).
 */
export const EVIDENCE_EVENTS = 'evidence v JOIN events e ON e.id BETWEEN v.first_event_id AND v.last_event_id AND e.evidence_id = v.id';

/** The id range of an evidence's events; `first > last` (an empty range) when it has none or is unknown. */
export function evidenceRange(db: ReadableDb, evidenceId: number): EvidenceRange {
  const r = db.prepare('SELECT first_event_id AS first, last_event_id AS last, events FROM evidence WHERE id = ?').get(evidenceId) as
    | { first: number | null; last: number | null; events: number }
    | undefined;
  if (r === undefined || r.first === null || r.last === null) {
    return { evidenceId, first: 1, last: 0, events: 0 };
  }
  return { evidenceId, first: r.first, last: r.last, events: r.events };
}

/** `<alias>.id BETWEEN first AND last AND <alias>.evidence_id = ?`: the events of one evidence. */
export function evidenceRows(db: ReadableDb, evidenceId: number, alias = 'e'): Sql {
  const r = evidenceRange(db, evidenceId);
  const p = alias === '' ? '' : `${alias}.`;
  return { text: `${p}id BETWEEN ? AND ? AND ${p}evidence_id = ?`, params: [r.first, r.last, evidenceId] };
}

/**
 * Events of several evidence files, for queries that also order by time (timeline pages, counts,
 * facets). `small` when the files hold at most SMALL_ROWS events: their id ranges should then drive
 * the query (a rowid range scan, then a sort of those rows), and the caller keeps the time index out
 * of it (`+e.ts`): walking the time index for a small file among millions of other lines reads the
 * whole index. Otherwise the time index drives it, and the id ranges are checked on its entries (they
 * carry the rowid) before any row of the table is read.
 */
export const SMALL_ROWS = 50_000;

export function evidenceSetRows(db: ReadableDb, evidenceIds: ReadonlyArray<number>, alias = 'e'): Readonly<{ where: Sql; small: boolean }> {
  const p = alias === '' ? '' : `${alias}.`;
  const ranges = [...new Set(evidenceIds)].map((id) => evidenceRange(db, id)).filter((r) => r.first <= r.last);
  if (ranges.length === 0) {
    return { where: { text: '0', params: [] }, small: true };
  }
  const small = ranges.reduce((s, r) => s + r.events, 0) <= SMALL_ROWS;
  // `+` keeps a large set's ranges from driving the query (SQLite would scan them and sort).
  const id = small ? `${p}id` : `+${p}id`;
  const ors = ranges.map(() => `${id} BETWEEN ? AND ?`).join(' OR ');
  const bounds = ranges.flatMap((r) => [r.first, r.last]);
  // When no other evidence has events inside these ranges (no resumed ingest interleaved them), the
  // ranges alone select the rows: a condition on the rowid, which an index's entries answer without
  // reading the table.
  const chosen = new Set(ranges.map((r) => r.evidenceId));
  const others = db.prepare('SELECT id, first_event_id AS first, last_event_id AS last FROM evidence WHERE first_event_id IS NOT NULL AND last_event_id IS NOT NULL').all() as Array<{
    id: number; first: number; last: number;
  }>;
  const exclusive = others.every((o) => chosen.has(o.id) || ranges.every((r) => o.last < r.first || o.first > r.last));
  if (exclusive) {
    return { where: { text: `(${ors})`, params: bounds }, small };
  }
  return {
    where: { text: `(${ors}) AND ${p}evidence_id IN (${ranges.map(() => '?').join(',')})`, params: [...bounds, ...ranges.map((r) => r.evidenceId)] },
    small,
  };
}

/**
 * The events of lines `from`..`to` of an evidence, found from one of its events (`anchorId`, which lies
 * in that line range) by walking its id range both ways until the line numbers leave the range (ids
 * grow with line numbers within an evidence). Line → event id; a line with several events (a bodyfile
 * line gives one per timestamp) maps to its first, the anchor's line to the anchor.
 */
export function eventsOfLines(db: ReadableDb, anchorId: number, evidenceId: number, from: number, to: number): Map<number, number> {
  const r = evidenceRange(db, evidenceId);
  const out = new Map<number, number>();
  const page = 256;
  const down = db.prepare('SELECT id, line_no FROM events WHERE id BETWEEN ? AND ? AND evidence_id = ? ORDER BY id DESC LIMIT ?');
  const up = db.prepare('SELECT id, line_no FROM events WHERE id BETWEEN ? AND ? AND evidence_id = ? ORDER BY id LIMIT ?');
  const walk = (stmt: typeof down, forward: boolean): void => {
    let cursor = anchorId;
    for (;;) {
      const rows = (forward ? stmt.all(cursor + 1, r.last, evidenceId, page) : stmt.all(r.first, cursor - 1, evidenceId, page)) as Array<{ id: number; line_no: number }>;
      for (const row of rows) {
        if (row.line_no < from || row.line_no > to) {
          return;
        }
        const seen = out.get(row.line_no);
        if (seen === undefined || row.id < seen) {
          out.set(row.line_no, row.id);
        }
      }
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < page) {
        return;
      }
      cursor = last.id;
    }
  };
  walk(down, false);
  walk(up, true);
  const anchor = db.prepare('SELECT line_no FROM events WHERE id = ?').get(anchorId) as { line_no: number } | undefined;
  if (anchor !== undefined) {
    out.set(anchor.line_no, anchorId);
  }
  return out;
}
