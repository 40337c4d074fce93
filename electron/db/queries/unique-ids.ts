/**
 * The decoded-UNIQUE_ID cache (migration 0080): filled once after ingest from the access events'
 * `extra.unique_id`, kept in step with evidence re-timing, and aggregated for the worker charts and
 * the restart estimate. Derived data only: never audited, rebuilt at will.
 */
import { decodeUniqueId, decodeUniqueIdInto, uniqueIdScratch, type UniqueIdScratch } from '../../core/analysis/unique-id';
import type { WorkerPiece } from '../../core/analysis/restarts';
import { bindRun, type ReadableDb, type WritableDb } from '../connection/sql';

/** Bucket of `uid_events.bucket` (ms): the finest time resolution of the aggregates. */
export const UID_BUCKET_MS = 600_000;
const CHUNK = 100_000;

type PieceAcc = { slot: number | null; child: number; bucket: number; first: number; last: number; n: number; minc: number; maxc: number; next: PieceAcc | null };

/**
 * uid_children.id by what identifies a child in the id bytes (decodeUniqueIdInto: family + childHi,
 * childLo), with no object per child: most childHi values (an address, a root's first bytes) have one
 * childLo, kept in a per-child array; a Map only where several share one.
 */
class ChildIndex {
  readonly #byHi = new Map<number, number | Map<number, number>>();
  readonly #loOf: number[] = [];

  static hi(d: UniqueIdScratch): number {
    // root layouts (childHi < 2^40) apart from the address ones (< 2^32)
    return d.bytes === 20 ? d.childHi + 2 ** 40 : d.childHi;
  }

  get(hi: number, lo: number): number | undefined {
    const v = this.#byHi.get(hi);
    if (v === undefined || typeof v === 'number') {
      return v !== undefined && this.#loOf[v] === lo ? v : undefined;
    }
    return v.get(lo);
  }

  set(hi: number, lo: number, child: number): void {
    const v = this.#byHi.get(hi);
    this.#loOf[child] = lo;
    if (v === undefined) {
      this.#byHi.set(hi, child);
    } else if (typeof v === 'number') {
      this.#byHi.set(hi, new Map([[this.#loOf[v] ?? -1, v], [lo, child]]));
    } else {
      v.set(lo, child);
    }
  }
}

/**
 * The pieces of one evidence (slot, child, 10-minute bucket) in the order first seen, found by one
 * number (child and bucket; the slots of a child chained), a string key only outside that number's range.
 */
class PieceIndex {
  readonly list: PieceAcc[] = [];
  readonly #byKey = new Map<number, PieceAcc>();
  readonly #other = new Map<string, PieceAcc>();
  #base: number | null = null;

  add(slot: number | null, child: number, bucket: number, ts: number, counter: number): void {
    this.#base ??= bucket - 2 ** 21;
    const rel = bucket - this.#base;
    let head: PieceAcc | undefined;
    let key = -1;
    if (rel >= 0 && rel < 2 ** 22 && child >= 0 && child < 2 ** 31) {
      key = child * 2 ** 22 + rel;
      head = this.#byKey.get(key);
    } else {
      head = this.#other.get(`${slot ?? ''}|${child}|${bucket}`);
    }
    let p: PieceAcc | null | undefined = head;
    while (p !== undefined && p !== null && p.slot !== slot) {
      p = p.next;
    }
    if (p === undefined || p === null) {
      const np: PieceAcc = { slot, child, bucket, first: ts, last: ts, n: 1, minc: counter, maxc: counter, next: null };
      this.list.push(np);
      if (key >= 0) {
        np.next = head ?? null;
        this.#byKey.set(key, np);
      } else {
        this.#other.set(`${slot ?? ''}|${child}|${bucket}`, np);
      }
      return;
    }
    p.first = Math.min(p.first, ts);
    p.last = Math.max(p.last, ts);
    p.n++;
    p.minc = Math.min(p.minc, counter);
    p.maxc = Math.max(p.maxc, counter);
  }
}
type EvidenceTiming = { id: number; first_event_id: number | null; last_event_id: number | null; clock_offset_ms: number; time_zone: string; year_base: number | null };
type Snapshot = { evidence_id: number; clock_offset_ms: number; time_zone: string; year_base: number | null };

function accessEvidence(db: ReadableDb): EvidenceTiming[] {
  return db
    .prepare(
      `SELECT id, first_event_id, last_event_id, clock_offset_ms, time_zone, year_base FROM evidence
       WHERE source_kind = 'apache_access' AND status IN ('complete', 'partial') AND events > 0 ORDER BY first_ts, id`,
    )
    .all() as EvidenceTiming[];
}

/** Access evidence not decoded yet, or decoded under another timing (re-timed since). */
export function uniqueIdWork(db: ReadableDb): { decode: EvidenceTiming[]; refresh: EvidenceTiming[] } {
  const snaps = new Map((db.prepare('SELECT evidence_id, clock_offset_ms, time_zone, year_base FROM uid_evidence').all() as Snapshot[]).map((s) => [s.evidence_id, s]));
  const decode: EvidenceTiming[] = [];
  const refresh: EvidenceTiming[] = [];
  for (const e of accessEvidence(db)) {
    const s = snaps.get(e.id);
    if (s === undefined) {
      decode.push(e);
    } else if (s.clock_offset_ms !== e.clock_offset_ms || s.time_zone !== e.time_zone || s.year_base !== e.year_base) {
      refresh.push(e);
    }
  }
  return { decode, refresh };
}

/** The logged-minus-UNIQUE_ID time differences of one evidence (ms -> count), from the cache table. */
function diffCounts(db: ReadableDb, evidenceId: number): Array<{ d: number; n: number }> {
  return db.prepare('SELECT ts - uid_s * 1000 AS d, count(*) AS n FROM uid_events WHERE evidence_id = ? GROUP BY d ORDER BY d').all(evidenceId) as Array<{ d: number; n: number }>;
}

/** Median, median absolute deviation, min and max of the differences (`rows` in ascending `d`). */
function storeDiffStats(db: WritableDb, evidenceId: number, rows: ReadonlyArray<{ d: number; n: number }>): void {
  const total = rows.reduce((s, r) => s + r.n, 0);
  const quantile = (xs: ReadonlyArray<{ d: number; n: number }>, tot: number): number | null => {
    let acc = 0;
    for (const r of xs) {
      acc += r.n;
      if (acc * 2 >= tot) {
        return r.d;
      }
    }
    return null;
  };
  const median = total === 0 ? null : quantile(rows, total);
  const dev = median === null ? [] : rows.map((r) => ({ d: Math.abs(r.d - median), n: r.n })).sort((a, b) => a.d - b.d);
  const spread = median === null ? null : quantile(dev, total);
  db.prepare('UPDATE uid_evidence SET diff_median_ms = ?, diff_spread_ms = ?, diff_min_ms = ?, diff_max_ms = ? WHERE evidence_id = ?').run(
    median, spread, rows[0]?.d ?? null, rows[rows.length - 1]?.d ?? null, evidenceId,
  );
}

/** `extra.unique_id` of an access event: the common `{"unique_id":"..."}` read without a JSON parse. */
const UID_ONLY = /^\{"unique_id":"([^"\\]*)"\}$/u;
function uniqueIdOf(extra: string): unknown {
  const m = UID_ONLY.exec(extra);
  if (m !== null) {
    return m[1];
  }
  try {
    const v: unknown = JSON.parse(extra);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)['unique_id'] : undefined;
  } catch {
    return undefined;
  }
}

/** Rows of uid_events per INSERT statement (8 values each; far below SQLite's parameter limit). */
const INSERT_ROWS = 128;
/** Events read per query inside a chunk. */
const READ_ROWS = 4096;

/**
 * Decodes the UNIQUE_IDs of every access evidence not decoded yet, and re-reads `ts` for evidence
 * re-timed since. Chunked transactions; returns the number of ids decoded.
 */
export function syncUniqueIds(db: WritableDb, onProgress?: (done: number, total: number) => void): number {
  const work = uniqueIdWork(db);
  for (const e of work.refresh) {
    db.transaction(() => {
      db.prepare(
        `UPDATE uid_events SET ts = e.ts, bucket = e.ts / ${UID_BUCKET_MS} FROM events e
         WHERE e.id = uid_events.event_id AND uid_events.evidence_id = ? AND e.ts IS NOT NULL`,
      ).run(e.id);
      db.prepare('UPDATE uid_evidence SET clock_offset_ms = ?, time_zone = ?, year_base = ? WHERE evidence_id = ?').run(e.clock_offset_ms, e.time_zone, e.year_base, e.id);
      db.prepare('DELETE FROM uid_pieces WHERE evidence_id = ?').run(e.id);
      db.prepare(
        `INSERT INTO uid_pieces (evidence_id, slot, child, bucket, first, last, n, min_counter, max_counter)
         SELECT evidence_id, slot, child, bucket, min(ts), max(ts), count(*), min(counter), max(counter) FROM uid_events WHERE evidence_id = ? GROUP BY slot, child, bucket`,
      ).run(e.id);
      storeDiffStats(db, e.id, diffCounts(db, e.id));
    }).immediate();
  }
  if (work.decode.length === 0) {
    return 0;
  }
  const children = new Map((db.prepare('SELECT child_key AS k, id FROM uid_children').all() as Array<{ k: string; id: number }>).map((r) => [r.k, r.id]));
  // The same child without its key string: id bytes (layout family) -> childHi -> childLo -> uid_children.id.
  const childOf = new ChildIndex();
  // per child (uid_children.id): its last counter and the 16-bit wraps seen, in file order
  const lastOf: number[] = [];
  const wrapsOf: number[] = [];
  const addChild = db.prepare('INSERT INTO uid_children (child_key, pid, ip, layout) VALUES (?, ?, ?, ?)');
  const rowSql = (n: number): string => `INSERT INTO uid_events (event_id, evidence_id, ts, bucket, child, slot, counter, uid_s) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
  const insertMany = db.prepare(rowSql(INSERT_ROWS));
  const insertOne = db.prepare(rowSql(1));
  // A rowid range (`+evidence_id`: not the evidence index, which would walk the whole evidence per slice).
  const read = db.prepare(
    `SELECT id, ts, extra FROM events
     WHERE id >= ? AND id <= ? AND +evidence_id = ? AND ts IS NOT NULL AND extra IS NOT NULL`,
  ).raw();
  const total = work.decode.reduce((s, e) => s + Math.max(0, (e.last_event_id ?? 0) - (e.first_event_id ?? 1) + 1), 0);
  const d = uniqueIdScratch();
  // One multi-row INSERT's values, reused (no array per row or per statement).
  const values: Array<number | null> = new Array<number | null>(INSERT_ROWS * 8).fill(null);
  let filled = 0;
  const flush = (): void => {
    if (filled === values.length) {
      bindRun(insertMany, values);
    } else {
      for (let at = 0; at < filled; at += 8) {
        insertOne.run(values.slice(at, at + 8));
      }
    }
    filled = 0;
  };
  let done = 0;
  let decoded = 0;
  for (const e of work.decode) {
    const first = e.first_event_id ?? 0;
    const last = e.last_event_id ?? -1;
    let ok = 0;
    let bad = 0;
    let badExample: string | null = null;
    const layouts = new Set<string>();
    // Pieces in the order first seen (the order uid_pieces is written in), found by slot, child, bucket.
    const pieces = new PieceIndex();
    // logged time minus the id's own time (ms) -> count: the clock evidence
    const diffs = new Map<number, number>();
    // An interrupted earlier decode of this evidence left rows but no uid_evidence entry: start over.
    db.prepare('DELETE FROM uid_events WHERE evidence_id = ?').run(e.id);
    for (let from = first; from <= last; from += CHUNK) {
      const to = Math.min(last, from + CHUNK - 1);
      db.transaction(() => {
        // read in small slices: rows die young (a whole chunk held at once is promoted, then collected late)
        for (let sub = from; sub <= to; sub += READ_ROWS) {
          const rows = read.all(sub, Math.min(to, sub + READ_ROWS - 1), e.id) as Array<[number, number, string]>;
          for (const [id, ts, extra] of rows) {
            const u = uniqueIdOf(extra);
            if (typeof u !== 'string') {
              continue;
            }
            if (!decodeUniqueIdInto(u, d)) {
              const r = decodeUniqueId(u);
              if (r.ok) {
                throw new Error(`UNIQUE_ID decoders disagree on ${u}`);
              }
              bad++;
              badExample ??= `${u.slice(0, 64)}: ${r.reason}`;
              continue;
            }
            layouts.add(d.layout);
            const hi = ChildIndex.hi(d);
            let child = childOf.get(hi, d.childLo);
            if (child === undefined) {
              const r = decodeUniqueId(u);
              if (!r.ok) {
                throw new Error(`UNIQUE_ID decoders disagree on ${u}`);
              }
              child = children.get(r.id.childKey);
              if (child === undefined) {
                child = Number(addChild.run(r.id.childKey, r.id.pid, r.id.ip, r.id.layout).lastInsertRowid);
                children.set(r.id.childKey, child);
              }
              childOf.set(hi, d.childLo, child);
            }
            const lastCounter = lastOf[child];
            let wraps = wrapsOf[child] ?? 0;
            if (lastCounter !== undefined && d.counter < lastCounter - 32_768) {
              wraps++;
              wrapsOf[child] = wraps;
            }
            lastOf[child] = d.counter;
            const counter = d.counter + wraps * 65_536;
            const bucket = Math.floor(ts / UID_BUCKET_MS);
            values[filled] = id;
            values[filled + 1] = e.id;
            values[filled + 2] = ts;
            values[filled + 3] = bucket;
            values[filled + 4] = child;
            values[filled + 5] = d.thread;
            values[filled + 6] = counter;
            values[filled + 7] = d.stamp;
            filled += 8;
            if (filled === values.length) {
              flush();
            }
            const diff = ts - d.stamp * 1000;
            diffs.set(diff, (diffs.get(diff) ?? 0) + 1);
            pieces.add(d.thread, child, bucket, ts, counter);
            ok++;
          }
        }
        flush();
      }).immediate();
      done += Math.min(CHUNK, last - from + 1);
      onProgress?.(done, total);
    }
    db.transaction(() => {
      db.prepare(
        `INSERT OR REPLACE INTO uid_evidence (evidence_id, clock_offset_ms, time_zone, year_base, decoded, malformed, malformed_example, layouts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(e.id, e.clock_offset_ms, e.time_zone, e.year_base, ok, bad, badExample, [...layouts].sort().join(','));
      db.prepare('DELETE FROM uid_pieces WHERE evidence_id = ?').run(e.id);
      const addPiece = db.prepare('INSERT INTO uid_pieces (evidence_id, slot, child, bucket, first, last, n, min_counter, max_counter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const p of pieces.list) {
        addPiece.run(e.id, p.slot, p.child, p.bucket, p.first, p.last, p.n, p.minc, p.maxc);
      }
      // the same figures as GROUP BY over the rows just written (diffCounts)
      storeDiffStats(db, e.id, [...diffs].map(([dd, n]) => ({ d: dd, n })).sort((x, y) => x.d - y.d));
    }).immediate();
    decoded += ok;
  }
  return decoded;
}

/**
 * Per slot, child and bucket (`bucketMs` a multiple of UID_BUCKET_MS): the restart estimate's and the
 * charts' input. Read raw and merged here (evidence files sharing a bucket), cheaper than GROUP BY.
 */
export function workerPieces(db: ReadableDb, bucketMs: number = UID_BUCKET_MS): WorkerPiece[] {
  const k = Math.max(1, Math.round(bucketMs / UID_BUCKET_MS));
  const children = new Map(
    (db.prepare('SELECT id, child_key, pid FROM uid_children').raw().all() as Array<[number, string, number | null]>).map(([id, key, pid]) => [id, { key, pid }]),
  );
  const rows = db.prepare('SELECT slot, child, bucket, first, last, n, min_counter, max_counter FROM uid_pieces').raw().all() as Array<
    [number | null, number, number, number, number, number, number, number]
  >;
  const merged = new Map<string, { -readonly [K in keyof WorkerPiece]: WorkerPiece[K] }>();
  for (const [slot, child, bucket, first, last, n, minCounter, maxCounter] of rows) {
    const key = `${child}|${slot ?? ''}|${Math.floor(bucket / k)}`;
    const cur = merged.get(key);
    if (cur === undefined) {
      const c = children.get(child);
      merged.set(key, { slot, child: c?.key ?? String(child), pid: c?.pid ?? null, first, last, n, minCounter, maxCounter });
    } else {
      cur.first = Math.min(cur.first, first);
      cur.last = Math.max(cur.last, last);
      cur.n += n;
      cur.minCounter = Math.min(cur.minCounter, minCounter);
      cur.maxCounter = Math.max(cur.maxCounter, maxCounter);
    }
  }
  return [...merged.values()];
}

export type UidEvidenceSummary = Readonly<{
  evidenceId: number;
  path: string;
  decoded: number;
  malformed: number;
  malformedExample: string | null;
  layouts: string[];
  diffMedianMs: number | null;
  diffSpreadMs: number | null;
  diffMinMs: number | null;
  diffMaxMs: number | null;
}>;

export function uidEvidenceSummaries(db: ReadableDb): UidEvidenceSummary[] {
  const rows = db
    .prepare(
      `SELECT u.evidence_id, v.rel_path, u.decoded, u.malformed, u.malformed_example, u.layouts, u.diff_median_ms, u.diff_spread_ms, u.diff_min_ms, u.diff_max_ms
       FROM uid_evidence u JOIN evidence v ON v.id = u.evidence_id ORDER BY v.first_ts, v.id`,
    )
    .raw()
    .all() as Array<[number, string, number, number, string | null, string, number | null, number | null, number | null, number | null]>;
  return rows.map(([evidenceId, path, decoded, malformed, malformedExample, layouts, diffMedianMs, diffSpreadMs, diffMinMs, diffMaxMs]) => ({
    evidenceId, path, decoded, malformed, malformedExample, layouts: layouts === '' ? [] : layouts.split(','), diffMedianMs, diffSpreadMs, diffMinMs, diffMaxMs,
  }));
}
