import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCaseFile, createCaseFile, type OpenCase } from '../case-file';
import { TIMELINE_INDEXES } from '../indexes';
import { makeTempDir, type TempDir } from '../testing/test-db';
import { SMALL_ROWS, eventsOfLines, evidenceRange, evidenceRows, evidenceSetRows } from './evidence-rows';

const meta = { name: 'T', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };

/**
 * Four evidence files, written as the ingest writes them (ids in line order per file):
 * - 1 "big": SMALL_ROWS + 1000 lines, one event each;
 * - 2 "small": lines 1-300, then (a resumed ingest) lines 301-600 after file 3's events;
 * - 3 "between": 50 lines written while 2 was interrupted, so inside 2's id range;
 * - 4 "bodyfile": 40 lines of 3 events each (one per timestamp).
 */
describe('events of an evidence by its id range', () => {
  let tmp: TempDir;
  let open: OpenCase;
  const ids = new Map<number, number[]>();
  beforeAll(() => {
    tmp = makeTempDir();
    open = createCaseFile({ ...meta, path: tmp.file('r.dossier') });
    const db = open.db;
    const addEvidence = db.prepare(
      `INSERT INTO evidence (id, rel_path, root_path, container, size, format, source_kind, outcome, status, time_zone, added_utc)
       VALUES (?, ?, '/x', 'file', 0, 'raw', 'raw', 'parsed', 'complete', 'UTC', 'x')`,
    );
    const kind = Number(db.prepare("INSERT INTO strings (value) VALUES ('raw') RETURNING id").pluck().get());
    const addEvent = db.prepare('INSERT INTO event_rows (evidence_id, line_no, byte_offset, ts, kind, msg) VALUES (?, ?, ?, ?, ?, ?) RETURNING id').pluck();
    const bump = db.prepare(
      'UPDATE evidence SET events = events + 1, first_event_id = coalesce(first_event_id, ?), last_event_id = ? WHERE id = ?',
    );
    const write = (evidence: number, line: number, ts: number): void => {
      const id = Number(addEvent.get(evidence, line, line * 10, ts, kind, `e${evidence} l${line}`));
      bump.run(id, id, evidence);
      const list = ids.get(evidence) ?? [];
      list.push(id);
      ids.set(evidence, list);
    };
    db.transaction(() => {
      for (const [id, path] of [[1, 'big'], [2, 'small'], [3, 'between'], [4, 'bodyfile']] as const) {
        addEvidence.run(id, path);
      }
      for (let l = 1; l <= SMALL_ROWS + 1000; l += 1) {
        write(1, l, 1_000_000 + l);
      }
      for (let l = 1; l <= 300; l += 1) {
        write(2, l, 5_000_000 + l);
      }
      for (let l = 1; l <= 50; l += 1) {
        write(3, l, 2_000_000 + l);
      }
      for (let l = 301; l <= 600; l += 1) {
        write(2, l, 5_000_000 + l);
      }
      for (let l = 1; l <= 40; l += 1) {
        for (let t = 0; t < 3; t += 1) {
          write(4, l, 3_000_000 + l * 3 + t);
        }
      }
    })();
    for (const ix of TIMELINE_INDEXES) {
      db.exec(ix.sql);
    }
    db.exec('ANALYZE');
  });
  afterAll(() => {
    closeCaseFile(open);
    tmp.cleanup();
  });

  const select = (where: { text: string; params: ReadonlyArray<unknown> }): number[] =>
    (open.db.prepare(`SELECT e.id FROM events e WHERE ${where.text} ORDER BY e.id`).all(...where.params) as Array<{ id: number }>).map((r) => r.id);
  const plan = (where: { text: string; params: ReadonlyArray<unknown> }, ts = 'e.ts'): string =>
    (open.db.prepare(`EXPLAIN QUERY PLAN SELECT e.id FROM events e WHERE ${where.text} AND ${ts} > ? ORDER BY ${ts}, e.id LIMIT 200`).all(...where.params, 0) as Array<{
      detail: string;
    }>)
      .map((r) => r.detail)
      .join(' | ');

  it('selects exactly the events of one evidence, also when another lies inside its range', () => {
    expect(evidenceRange(open.db, 2)).toMatchObject({ events: 600 });
    expect(select(evidenceRows(open.db, 2))).toEqual(ids.get(2));
    expect(select(evidenceRows(open.db, 3))).toEqual(ids.get(3));
    // Unknown evidence: nothing (an empty range).
    expect(select(evidenceRows(open.db, 99))).toEqual([]);
    // Found by a rowid range, not by a scan of the table.
    const r = evidenceRows(open.db, 2);
    const p = (open.db.prepare(`EXPLAIN QUERY PLAN SELECT e.id FROM events e WHERE ${r.text}`).all(...r.params) as Array<{ detail: string }>).map((x) => x.detail).join(' | ');
    expect(p).toMatch(/INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/u);
  });

  it('for several files: the id ranges alone when no other file lies inside them, with evidence_id when one does', () => {
    const apart = evidenceSetRows(open.db, [1, 4]);
    expect(apart.where.text).not.toContain('evidence_id');
    expect(select(apart.where)).toEqual([...(ids.get(1) ?? []), ...(ids.get(4) ?? [])]);
    const interleaved = evidenceSetRows(open.db, [2]);
    expect(interleaved.where.text).toContain('evidence_id IN');
    expect(select(interleaved.where)).toEqual(ids.get(2));
    // 2 and 3 together cover the interleaving: the ranges suffice again.
    const both = evidenceSetRows(open.db, [2, 3, 3]);
    expect(both.where.text).not.toContain('evidence_id');
    expect(select(both.where).sort((a, b) => a - b)).toEqual([...(ids.get(2) ?? []), ...(ids.get(3) ?? [])].sort((a, b) => a - b));
    expect(evidenceSetRows(open.db, [99]).where.text).toBe('0');
  });

  it('lets a small file drive the query by its ids, and the time index drive it for a large one', () => {
    const small = evidenceSetRows(open.db, [2, 3]);
    expect(small.small).toBe(true);
    expect(plan(small.where, '+e.ts')).toMatch(/INTEGER PRIMARY KEY/u);
    const large = evidenceSetRows(open.db, [1]);
    expect(large.small).toBe(false);
    // The ranges are only checked, on the time index's own entries (covering: no table read).
    expect(plan(large.where)).toMatch(/COVERING INDEX events_ts/u);
    expect(plan(large.where)).not.toMatch(/TEMP B-TREE/u);
  });

  it('maps the lines around an event to their events, across pages, other files and several events per line', () => {
    const two = ids.get(2) ?? [];
    // Line 300 is the last before the interruption; lines 290-320 straddle file 3's events.
    const anchor = two[299] ?? 0;
    const m = eventsOfLines(open.db, anchor, 2, 290, 320);
    expect([...m.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 31 }, (_, i) => 290 + i));
    expect(m.get(300)).toBe(anchor);
    expect(m.get(301)).toBe(two[300]);
    // More than one page (256 rows) each way.
    const far = eventsOfLines(open.db, two[299] ?? 0, 2, 1, 600);
    expect(far.size).toBe(600);
    expect(far.get(1)).toBe(two[0]);
    expect(far.get(600)).toBe(two[599]);
    // A bodyfile line has three events: its first, or the anchor on the anchor's line.
    const body = ids.get(4) ?? [];
    const b = eventsOfLines(open.db, body[31] ?? 0, 4, 9, 12);
    expect([...b.entries()].sort((x, y) => x[0] - y[0])).toEqual([
      [9, body[24]],
      [10, body[27]],
      [11, body[31]],
      [12, body[33]],
    ]);
  });
});
