import Database from 'better-sqlite3';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCaseFile, createCaseFile, type OpenCase } from '../../db/case-file';
import { evidenceRows } from '../../db/queries/evidence-rows';
import { buildFilter } from '../../db/queries/timeline';
import type { TimelineFilter } from '../../../shared/domain/timeline';
import { fullTextProgress } from '../../db/queries/full-text';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { exportEvents } from '../../services/export-events';
import { runIngest } from './ingest-engine';
import { buildFullText, ensureTimelineIndexes } from './post-ingest';
import { configureIngestConnection } from './run-ingest-job';

const SAMPLE = resolve(__dirname, '../../../resources/sample-case');
const meta = { name: 'T', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };

function plan(open: OpenCase, sql: string, ...params: unknown[]): string {
  return (open.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
}

describe('after the bulk load: indexes, full text, export', () => {
  let tmp: TempDir;
  let open: OpenCase;
  beforeAll(async () => {
    tmp = makeTempDir();
    open = createCaseFile({ ...meta, path: tmp.file('p.dossier') });
    await runIngest(open.db, { root: SAMPLE, timeZone: 'Europe/Berlin' });
    ensureTimelineIndexes(open.db);
  });
  afterAll(() => {
    closeCaseFile(open);
    tmp.cleanup();
  });

  it('serves the timeline queries from indexes (EXPLAIN QUERY PLAN)', () => {
    expect(plan(open, 'SELECT id FROM events WHERE ts >= ? ORDER BY ts, id LIMIT 200', 0)).toMatch(/USING (COVERING )?INDEX events_ts/u);
    expect(plan(open, 'SELECT id FROM events WHERE (ts, id) > (?, ?) ORDER BY ts, id LIMIT 200', 0, 0)).toMatch(/INDEX events_ts/u);
    expect(plan(open, 'SELECT count(*) FROM events WHERE ts BETWEEN ? AND ?', 0, 1)).toMatch(/COVERING INDEX events_ts/u);
    // The events of one evidence: its id range (no (evidence_id, line_no) index since session 6).
    const rows = evidenceRows(open.db, 1);
    expect(plan(open, `SELECT * FROM events e WHERE ${rows.text} ORDER BY e.id`, ...rows.params)).toMatch(/INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/u);
    expect(plan(open, `SELECT * FROM events e WHERE ${rows.text} ORDER BY e.id`, ...rows.params)).not.toMatch(/TEMP B-TREE/u);
    expect(plan(open, 'SELECT count(*) FROM events e WHERE e.src_ip = ?', 7)).toMatch(/INDEX events_src_ip/u);
    // Status filters that cannot match 200 use the index of every other status (the filter says `<> 200`).
    const status = (statuses: TimelineFilter['statuses']): { sql: string; params: unknown[] } => {
      const w = buildFilter(open.db, { statuses }).where;
      return { sql: `SELECT count(*) AS n FROM events e WHERE ${w.text}`, params: [...w.params] };
    };
    for (const statuses of [['5xx'], [404], [404, '5xx'], [206, '3xx']] satisfies Array<TimelineFilter['statuses']>) {
      const q = status(statuses);
      expect(q.sql).toContain('e.status <> 200');
      expect(plan(open, q.sql, ...q.params)).toMatch(/INDEX events_status_rare/u);
    }
    expect(plan(open, 'SELECT count(*) FROM events e WHERE e.status BETWEEN 500 AND 599 AND e.status <> 200 AND e.ts BETWEEN ? AND ?', 0, 1)).toMatch(/INDEX events_status_rare/u);
    // 200 itself (or the 2xx class) is most of an access log: no such term, and the same answers either way.
    for (const statuses of [[200], ['2xx'], [200, 404]] satisfies Array<TimelineFilter['statuses']>) {
      expect(status(statuses).sql).not.toContain('<> 200');
    }
    const count = (statuses: TimelineFilter['statuses']): number => {
      const q = status(statuses);
      return (open.db.prepare(q.sql.replace(' AND e.status <> 200', '')).get(...q.params) as { n: number }).n;
    };
    for (const statuses of [['5xx'], [404], ['2xx'], [200], [304, '4xx']] satisfies Array<TimelineFilter['statuses']>) {
      expect((open.db.prepare(status(statuses).sql).get(...status(statuses).params) as { n: number }).n).toBe(count(statuses));
    }
    expect(count([404])).toBeGreaterThan(0);
    expect(count(['2xx'])).toBeGreaterThan(count(['5xx']));
    const hist = plan(open, 'SELECT minute, sum(n) FROM hist_minute GROUP BY minute');
    expect(hist).not.toMatch(/TEMP B-TREE/u);
  });

  it('builds the full-text index in resumable chunks, then answers searches', async () => {
    expect(fullTextProgress(open.db).complete).toBe(false);
    const seen: number[] = [];
    await buildFullText(open.db, { chunkRows: 1000, onProgress: (d) => seen.push(d) });
    expect(seen.length).toBeGreaterThan(3);
    expect(fullTextProgress(open.db)).toMatchObject({ complete: true });
    const hits = open.db.prepare("SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH 'segmentation'").get() as { n: number };
    expect(hits.n).toBe(900);
    const phrase = open.db.prepare('SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH \'"Failed password"\'').get() as { n: number };
    expect(phrase.n).toBe(240);
  });

  it('exports Timesketch columns with provenance, and neutralises formula prefixes in CSV', () => {
    let csv = '';
    const n = exportEvents(open.db, { format: 'csv', sourceKind: 'apache_access', write: (c) => (csv += c) });
    expect(n).toBe(5322);
    const header = csv.slice(0, csv.indexOf('\r\n'));
    expect(header).toMatch(/^"datetime","timestamp_desc","message"/u);
    expect(header).toContain('"evidence_sha256"');
    expect(header).toContain('"year_reason"');
    let jsonl = '';
    exportEvents(open.db, { format: 'jsonl', sourceKind: 'auth', write: (c) => (jsonl += c) });
    const first = JSON.parse(jsonl.slice(0, jsonl.indexOf('\n'))) as Record<string, unknown>;
    expect(first).toMatchObject({ source: 'auth', evidence: 'var/log/auth.log', line: 1, tz: 'Europe/Berlin', time_text: 'Mar 15 00:05:00', user: 'admin', src_ip: '192.0.2.50' });
    expect(first['datetime']).toBe('2024-03-14T23:05:00.000Z');
    expect(String(first['year_reason'])).toMatch(/case_source|file_mtime/u);
    // A hostile line: no cell of the CSV may begin with = + - @ once parsed.
    for (const line of csv.split('\r\n').slice(1, 200)) {
      for (const cell of line.match(/"(?:[^"]|"")*"/gu) ?? []) {
        expect(['=', '+', '-', '@']).not.toContain(cell.charAt(1));
      }
    }
  });
});

describe('the ingest connection', () => {
  it('loads with an 8 MiB cache, two sorter threads, NORMAL sync in WAL and a checkpoint every 4,000 pages', () => {
    const tmp = makeTempDir();
    try {
      closeCaseFile(createCaseFile({ ...meta, path: tmp.file('c.dossier') }));
      const db = new Database(tmp.file('c.dossier'));
      try {
        configureIngestConnection(db);
        const p = (name: string): unknown => db.pragma(name, { simple: true });
        expect([p('journal_mode'), p('synchronous'), p('cache_size'), p('threads'), p('wal_autocheckpoint'), p('page_size'), p('trusted_schema')]).toEqual([
          'wal', 1, -8192, 2, 4000, 16_384, 0,
        ]);
      } finally {
        db.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
