import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../db/testing/test-db';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { createBackend, type Backend } from './registry/create-handlers';
import { createDispatcher, type Dispatch } from './registry/dispatch';
import { escapeBytes } from './timeline-service';

const SAMPLE = resolve(__dirname, '../../resources/sample-case');

async function ok<T>(call: Dispatch, method: string, input: unknown): Promise<T> {
  const r = await call(method, input);
  if (!r.ok) {
    throw new Error(`${method}: ${r.error.message}`);
  }
  return r.value as T;
}

type Page = { rows: Array<{ id: number; ts: number; srcIp: string | null; message: string; tagIds: number[]; starred: boolean; comments: number; sourceKind: string }>; next: { ts: number; id: number } | null };

describe('timeline service on the sample case', () => {
  let tmp: TempDir;
  let backend: Backend;
  let call: Dispatch;
  beforeAll(async () => {
    tmp = makeTempDir();
    backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: SAMPLE,
      osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
    });
    call = createDispatcher(backend.handlers);
    await ok(call, 'cases.openSample', {});
  });
  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('pages through every timed event in time order with keyset cursors', async () => {
    const first = await ok<Page>(call, 'timeline.page', { filter: {}, limit: 200 });
    expect(first.rows).toHaveLength(200);
    const second = await ok<Page>(call, 'timeline.page', { filter: {}, after: first.next, limit: 200 });
    const all = [...first.rows, ...second.rows];
    for (let i = 1; i < all.length; i += 1) {
      const a = all[i - 1];
      const b = all[i];
      expect(a !== undefined && b !== undefined && (a.ts < b.ts || (a.ts === b.ts && a.id < b.id))).toBe(true);
    }
    const back = await ok<Page>(call, 'timeline.page', { filter: {}, before: { ts: second.rows[0]?.ts, id: second.rows[0]?.id }, limit: 200 });
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
  });

  it('filters by CIDR, status class, and full-text phrases', async () => {
    const cidr = await ok<Page>(call, 'timeline.page', { filter: { srcIps: ['198.51.100.0/24'] }, limit: 1000 });
    expect(cidr.rows.length).toBeGreaterThan(100);
    expect(cidr.rows.every((r) => r.srcIp?.startsWith('198.51.100.') === true)).toBe(true);
    const single = await ok<Page>(call, 'timeline.page', { filter: { srcIps: ['203.0.113.45'], sourceKinds: ['auth'] }, limit: 1000 });
    expect(single.rows.length).toBeGreaterThan(240);
    await backend.ingest.status(); // full text is built by the ingest job
    const phrase = await ok<Page>(call, 'timeline.page', { filter: { text: '"Failed password" AND root' }, limit: 1000 });
    expect(phrase.rows.length).toBeGreaterThan(10);
    expect(phrase.rows.every((r) => r.message.includes('Failed password') && r.message.includes('root'))).toBe(true);
    const bad = await call('timeline.page', { filter: { text: '"unbalanced' }, limit: 10 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const notIp = await call('timeline.page', { filter: { srcIps: ['10.0.0.0/99'] }, limit: 10 });
    expect(notIp).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('draws the histogram from the rollup, and from events under field filters, with equal totals', async () => {
    const all = await ok<{ total: number; source: string; series: Array<{ key: string; counts: number[] }>; bucketMs: number }>(call, 'timeline.histogram', { filter: {}, buckets: 100 });
    expect(all.source).toBe('rollup');
    // rows = events + raw-only lines (a bodyfile line carries one event per MACB time)
    const timed = (await ok<Array<{ events: number; rawOnly: number; untimed: number }>>(call, 'evidence.list', {})).reduce((n, e) => n + e.events + e.rawOnly - e.untimed, 0);
    expect(all.total).toBe(timed);
    expect(all.series.map((s) => s.key)).toEqual(expect.arrayContaining(['apache_access', 'apache_error', 'auth', 'fail2ban', 'syslog']));
    const sev = await ok<{ total: number; source: string }>(call, 'timeline.histogram', { filter: { severities: ['error'] }, buckets: 100, groupBy: 'severity' });
    const sevEvents = await ok<{ total: number; source: string }>(call, 'timeline.histogram', { filter: { severities: ['error'], pids: [] }, buckets: 100, groupBy: 'severity' });
    expect(sev.total).toBeGreaterThan(0);
    const viaEvents = await ok<{ total: number; source: string }>(call, 'timeline.histogram', { filter: { srcIps: ['0.0.0.0/0', '::/0'] }, buckets: 100 });
    expect(viaEvents.source).toBe('events');
    expect(sevEvents.total).toBe(sev.total);
  });

  it('shows detail with provenance and the raw line, context around it, and keeps hostile text as text', async () => {
    const page = await ok<Page>(call, 'timeline.page', { filter: { text: 'script' }, limit: 5 });
    const hit = page.rows.find((r) => r.message.includes('%3Cscript%3E') || r.message.includes('<script'));
    expect(hit).toBeDefined();
    const detail = await ok<{ raw: { text: string }; provenance: { evidencePath: string; sha256: string; timeText: string; timeZone: string; lineNo: number }; fields: Record<string, unknown> }>(
      call, 'events.detail', { id: hit?.id },
    );
    expect(detail.raw.text).toContain('search.php');
    expect(detail.provenance.sha256).toMatch(/^[0-9a-f]{64}$/u);
    expect(detail.provenance.timeText).toMatch(/Mar\/2024/u);
    expect(detail.provenance.timeZone).toBe('written in the text');
    expect(detail.fields['http_user_agent']).toBeDefined();
    const ctx = await ok<{ lines: Array<{ lineNo: number; eventId: number | null }> }>(call, 'events.context', { id: hit?.id, before: 3, after: 3 });
    expect(ctx.lines.map((l) => l.lineNo)).toEqual([-3, -2, -1, 0, 1, 2, 3].map((d) => detail.provenance.lineNo + d).filter((n) => n >= 1));
    expect(escapeBytes(Buffer.from([0x41, 0xff, 0xc3, 0xa9, 0x1b]))).toBe('A\\xffé\u001b');
  });

  it('tags, stars and comments events, saves views, and audits each change', async () => {
    const page = await ok<Page>(call, 'timeline.page', { filter: { srcIps: ['203.0.113.45'] }, limit: 3 });
    const ids = page.rows.map((r) => r.id);
    const tags = await ok<Array<{ name: string; count: number }>>(call, 'events.tag', { ids, tag: 'brute-force', color: '#cd4246' });
    expect(tags).toEqual([expect.objectContaining({ name: 'brute-force', count: 3 })]);
    await ok(call, 'events.star', { ids: [ids[0]], on: true });
    await ok(call, 'events.comment', { id: ids[0], body: 'First failure <img src=x onerror=alert(1)>' });
    const tagged = await ok<Page>(call, 'timeline.page', { filter: { tagged: true }, limit: 10 });
    expect(tagged.rows.map((r) => r.id)).toEqual(ids);
    expect(tagged.rows[0]).toMatchObject({ starred: true, comments: 1 });
    const starred = await ok<Page>(call, 'timeline.page', { filter: { starred: true }, limit: 10 });
    expect(starred.rows.map((r) => r.id)).toEqual([ids[0]]);
    const hist = await ok<{ marked: number[] }>(call, 'timeline.histogram', { filter: {}, buckets: 50 });
    expect(hist.marked.length).toBeGreaterThan(0);
    const views = await ok<Array<{ name: string; state: string }>>(call, 'views.save', { name: 'Brute force', state: JSON.stringify({ filter: { srcIps: ['203.0.113.45'] } }) });
    expect(views.map((v) => v.name)).toEqual(['Brute force']);
    const audit = await ok<{ entries: Array<{ action: string }> }>(call, 'audit.list', { limit: 20 });
    expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['tag.create', 'event.tag', 'event.star', 'event.comment', 'view.create']));
    const verify = await ok<{ ok: boolean }>(call, 'audit.verify', {});
    expect(verify.ok).toBe(true);
  });
});

describe('histogram buckets in the display zone', () => {
  it('starts long buckets on the hours of the zone asked for', async () => {
    const tmp = makeTempDir();
    const backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: SAMPLE,
      osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
    });
    const call = createDispatcher(backend.handlers);
    await ok(call, 'cases.openSample', {});
    const utc = await ok<{ starts: number[]; bucketMs: number }>(call, 'timeline.histogram', { filter: {}, buckets: 10 });
    const berlin = await ok<{ starts: number[]; bucketMs: number }>(call, 'timeline.histogram', { filter: {}, buckets: 10, zone: 'Europe/Berlin' });
    expect(utc.bucketMs).toBe(43_200_000);
    expect(new Date(utc.starts[0] ?? 0).toISOString()).toMatch(/T(00|12):00:00\.000Z$/u);
    // Midnight and noon in Berlin in March 2024 (CET, +01:00) are 23:00 and 11:00 UTC.
    expect(new Date(berlin.starts[0] ?? 0).toISOString()).toMatch(/T(23|11):00:00\.000Z$/u);
    await backend.dispose();
    tmp.cleanup();
  });
});
