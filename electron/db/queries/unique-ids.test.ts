import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeUniqueId, encodeUniqueId } from '../../core/analysis/unique-id';
import { makeSyntheticApacheCase } from '../../core/analysis/testing/synthetic-apache';
import { runIngest } from '../../workers/ingest/ingest-engine';
import { closeCaseFile, createCaseFile, openCaseFile, type OpenCase } from '../case-file';
import type { WritableDb } from '../connection/sql';
import { makeTempDir, type TempDir } from '../testing/test-db';
import { UID_BUCKET_MS, syncUniqueIds, uidEvidenceSummaries, workerPieces } from './unique-ids';

const meta = { name: 'T', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };

/**
 * The cache as the first version built it (json_extract per event, one INSERT per id, the statistics by
 * GROUP BY over uid_events): the reference the faster build must reproduce row for row.
 */
function referenceSync(db: WritableDb): void {
  const evidence = db
    .prepare(
      `SELECT id, first_event_id, last_event_id, clock_offset_ms, time_zone, year_base FROM evidence
       WHERE source_kind = 'apache_access' AND status IN ('complete', 'partial') AND events > 0 ORDER BY first_ts, id`,
    )
    .all() as Array<{ id: number; first_event_id: number; last_event_id: number; clock_offset_ms: number; time_zone: string; year_base: number | null }>;
  const children = new Map<string, number>();
  const addChild = db.prepare('INSERT INTO uid_children (child_key, pid, ip, layout) VALUES (?, ?, ?, ?)');
  const insert = db.prepare('INSERT INTO uid_events (event_id, evidence_id, ts, bucket, child, slot, counter, uid_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const lastCounter = new Map<number, { last: number; wraps: number }>();
  db.transaction(() => {
    for (const e of evidence) {
      const rows = db
        .prepare(`SELECT id, ts, json_extract(extra, '$.unique_id') AS u FROM events WHERE id >= ? AND id <= ? AND evidence_id = ? AND ts IS NOT NULL AND extra IS NOT NULL`)
        .raw()
        .all(e.first_event_id, e.last_event_id, e.id) as Array<[number, number, unknown]>;
      let ok = 0;
      let bad = 0;
      let badExample: string | null = null;
      const layouts = new Set<string>();
      const pieces = new Map<string, { slot: number | null; child: number; bucket: number; first: number; last: number; n: number; minc: number; maxc: number }>();
      for (const [id, ts, u] of rows) {
        if (typeof u !== 'string') {
          continue;
        }
        const r = decodeUniqueId(u);
        if (!r.ok) {
          bad++;
          badExample ??= `${u.slice(0, 64)}: ${r.reason}`;
          continue;
        }
        const d = r.id;
        layouts.add(d.layout);
        let child = children.get(d.childKey);
        if (child === undefined) {
          child = Number(addChild.run(d.childKey, d.pid, d.ip, d.layout).lastInsertRowid);
          children.set(d.childKey, child);
        }
        const c = lastCounter.get(child);
        let wraps = c?.wraps ?? 0;
        if (c !== undefined && d.counter < c.last - 32_768) {
          wraps++;
        }
        lastCounter.set(child, { last: d.counter, wraps });
        const bucket = Math.floor(ts / UID_BUCKET_MS);
        const counter = d.counter + wraps * 65_536;
        insert.run(id, e.id, ts, bucket, child, d.thread, counter, d.stamp);
        const key = `${d.thread ?? ''}|${child}|${bucket}`;
        const p = pieces.get(key);
        if (p === undefined) {
          pieces.set(key, { slot: d.thread, child, bucket, first: ts, last: ts, n: 1, minc: counter, maxc: counter });
        } else {
          p.first = Math.min(p.first, ts);
          p.last = Math.max(p.last, ts);
          p.n++;
          p.minc = Math.min(p.minc, counter);
          p.maxc = Math.max(p.maxc, counter);
        }
        ok++;
      }
      db.prepare(
        `INSERT OR REPLACE INTO uid_evidence (evidence_id, clock_offset_ms, time_zone, year_base, decoded, malformed, malformed_example, layouts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(e.id, e.clock_offset_ms, e.time_zone, e.year_base, ok, bad, badExample, [...layouts].sort().join(','));
      for (const p of pieces.values()) {
        db.prepare('INSERT INTO uid_pieces (evidence_id, slot, child, bucket, first, last, n, min_counter, max_counter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          e.id, p.slot, p.child, p.bucket, p.first, p.last, p.n, p.minc, p.maxc,
        );
      }
      const diffs = db.prepare('SELECT ts - uid_s * 1000 AS d, count(*) AS n FROM uid_events WHERE evidence_id = ? GROUP BY d ORDER BY d').all(e.id) as Array<{ d: number; n: number }>;
      const total = diffs.reduce((s, r) => s + r.n, 0);
      const quantile = (xs: Array<{ d: number; n: number }>): number | null => {
        let acc = 0;
        for (const r of xs) {
          acc += r.n;
          if (acc * 2 >= total) {
            return r.d;
          }
        }
        return null;
      };
      const median = total === 0 ? null : quantile(diffs);
      const spread = median === null ? null : quantile(diffs.map((r) => ({ d: Math.abs(r.d - median), n: r.n })).sort((a, b) => a.d - b.d));
      db.prepare('UPDATE uid_evidence SET diff_median_ms = ?, diff_spread_ms = ?, diff_min_ms = ?, diff_max_ms = ? WHERE evidence_id = ?').run(
        median, spread, diffs[0]?.d ?? null, diffs[diffs.length - 1]?.d ?? null, e.id,
      );
    }
  })();
}

const TABLES = [
  'SELECT * FROM uid_children ORDER BY id',
  'SELECT rowid, * FROM uid_pieces ORDER BY rowid',
  'SELECT * FROM uid_evidence ORDER BY evidence_id',
  'SELECT * FROM uid_events ORDER BY event_id',
];

/** Access lines the synthetic case lacks: other layouts, ids next to other extras, malformed ids, a 16-bit counter wrap. */
function oddAccessLog(): string {
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const clf = (t: number): string => {
    const d = new Date(t);
    return `${p2(d.getUTCDate())}/${mon[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
  };
  const line = (t: number, uid: string, tail = ''): string => `10.9.8.7 - - [${clf(t)}] "GET /x HTTP/1.1" 200 12 "-" "curl/8" ${uid}${tail}`;
  const t0 = Date.UTC(2010, 3, 22, 10, 0, 0);
  const out: string[] = [];
  let counter = 65_500;
  for (let i = 0; i < 200; i++) {
    const t = t0 + i * 7_000;
    const stamp = Math.floor(t / 1000) - (i % 3);
    counter = (counter + 1) % 65_536;
    out.push(line(t, encodeUniqueId('classic', { stamp, ip: '10.0.0.9', pid: 4000 + (i % 2), counter, thread: i % 2 })));
    out.push(line(t + 1, encodeUniqueId('2.4-root', { stamp, root: 'a1b2c3d4e5f60718293a', counter: i, thread: 3 }), ' 1234'));
    out.push(line(t + 2, encodeUniqueId('2.4-root-base64url', { stamp, root: 'ffeeddccbbaa99887766', counter: i * 300, thread: 70000 + (i % 4) })));
    if (i % 50 === 0) {
      out.push(line(t + 3, 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ'));
      out.push(line(t + 4, `${encodeUniqueId('classic', { stamp, ip: '10.0.0.9', pid: 4000, counter: 1, thread: 0 }).slice(0, 23)}B`));
    }
  }
  return `${out.join('\n')}\n`;
}

describe('UNIQUE_ID cache', () => {
  let tmp: TempDir;
  let a: OpenCase;
  let b: OpenCase;
  beforeAll(async () => {
    tmp = makeTempDir();
    const { files } = makeSyntheticApacheCase();
    const all: Record<string, string> = { ...files, 'var/log/apache2/other_access.log': oddAccessLog() };
    for (const [rel, text] of Object.entries(all)) {
      const p = tmp.file(`case/${rel}`);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
    a = createCaseFile({ ...meta, path: tmp.file('a.dossier') });
    const summary = await runIngest(a.db, { root: tmp.file('case'), timeZone: 'UTC', files: { 'var/log/auth.log': { year: 2010 } } });
    expect(summary.status).toBe('complete');
    a.db.exec(`VACUUM INTO '${tmp.file('b.dossier')}'`);
    b = openCaseFile(tmp.file('b.dossier'));
  });
  afterAll(() => {
    closeCaseFile(a);
    closeCaseFile(b);
    tmp.cleanup();
  });

  it('builds the same children, pieces, events and clock statistics as the reference build', () => {
    const decoded = syncUniqueIds(a.db);
    referenceSync(b.db);
    expect(decoded).toBeGreaterThan(1000);
    for (const q of TABLES) {
      expect(a.db.prepare(q).raw().all(), q).toEqual(b.db.prepare(q).raw().all());
    }
    const summaries = uidEvidenceSummaries(a.db);
    expect(summaries.map((s) => s.layouts)).toEqual(expect.arrayContaining([['2.4-root', '2.4-root-base64url', 'classic']]));
    expect(summaries.some((s) => s.malformed === 4 && s.decoded === 604 && s.malformedExample !== null)).toBe(true);
    expect(workerPieces(a.db, UID_BUCKET_MS * 6)).toEqual(workerPieces(b.db, UID_BUCKET_MS * 6));
  });

  it('follows re-timing the same way', () => {
    for (const db of [a.db, b.db]) {
      db.prepare("UPDATE evidence SET clock_offset_ms = 90000 WHERE rel_path LIKE '%other_access.log'").run();
      db.prepare("UPDATE event_rows SET ts = ts + 90000 WHERE evidence_id = (SELECT id FROM evidence WHERE rel_path LIKE '%other_access.log')").run();
      syncUniqueIds(db);
    }
    for (const q of TABLES) {
      expect(a.db.prepare(q).raw().all(), q).toEqual(b.db.prepare(q).raw().all());
    }
  });
});
