/**
 * files.* on the bundled sample case through the real dispatcher: the baseline vs later manifest finds
 * the modified index.php (and the web shell that appeared, the page removed), the bodyfile places the
 * change in time and shows it around the restart, and strace's PID 4001 is linked to the error log's
 * "child pid 4001 exit signal Segmentation fault (11)". Every link is a timeline filter that finds the events.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileActivity, FileChanges, StraceSummary } from '../../shared/domain/files';
import type { TimelineFilter } from '../../shared/domain/timeline';
import { makeTempDir, type TempDir } from '../db/testing/test-db';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { createBackend, type Backend } from './registry/create-handlers';
import { createDispatcher, type Dispatch } from './registry/dispatch';

const SAMPLE = resolve(__dirname, '../../resources/sample-case');

async function ok<T>(call: Dispatch, method: string, input: unknown): Promise<T> {
  const r = await call(method, input);
  if (!r.ok) {
    throw new Error(`${method}: ${r.error.message}`);
  }
  return r.value as T;
}

type Page = { rows: Array<{ id: number; ts: number | null; message: string; sourceKind: string; evidencePath: string; pid: number | null }> };

describe('files service on the sample case', () => {
  let tmp: TempDir;
  let backend: Backend;
  let call: Dispatch;
  const page = (filter: TimelineFilter) => ok<Page>(call, 'timeline.page', { filter, limit: 1000 });
  beforeAll(async () => {
    tmp = makeTempDir();
    backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: SAMPLE,
      osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
    });
    call = createDispatcher(backend.handlers);
    await ok(call, 'cases.openSample', {});
    await backend.ingest.status();
  });
  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('baseline vs now: index.php modified, sh.php appeared, bags.html gone; the links find the manifest lines', async () => {
    const c = await ok<FileChanges>(call, 'files.changes', {});
    expect(c.manifests.map((m) => m.path).sort()).toEqual(['hashes/2024-03-16/md5sums.txt', 'hashes/baseline/md5sums.txt', 'md5sums.txt']);
    const baseline = c.manifests.find((m) => m.evidenceId === c.baselineId);
    const current = c.manifests.find((m) => m.evidenceId === c.currentId);
    expect(baseline?.path).toBe('hashes/baseline/md5sums.txt');
    expect(current?.path).toBe('hashes/2024-03-16/md5sums.txt');
    expect(c.diff?.prefixBaseline).toBe('');
    expect(c.diff?.prefixCurrent).toBe('var/www/shop');
    expect(c.diff?.counts).toEqual({ changed: 1, appeared: 1, disappeared: 1 });
    const changed = c.diff?.changes.find((x) => x.status === 'changed');
    expect(changed).toMatchObject({ relPath: 'index.php', baselinePath: './index.php', currentPath: '/var/www/shop/index.php', algorithm: 'md5', atFrom: 'bodyfile_mtime' });
    expect(new Date(changed?.atMs ?? 0).toISOString()).toBe('2024-03-16T03:04:00.000Z');
    expect(c.diff?.changes.find((x) => x.status === 'appeared')?.relPath).toBe('images/.cache/sh.php');
    expect(c.diff?.changes.find((x) => x.status === 'disappeared')?.relPath).toBe('catalog/bags.html');
    // click-through: the manifest lines of index.php (untimed), and its bodyfile events
    const lines = await page(changed?.filter ?? {});
    expect(lines.rows.map((r) => r.message).sort()).toEqual([
      `${changed?.currentHash ?? ''}  /var/www/shop/index.php`,
      `${changed?.baselineHash ?? ''}  ./index.php`,
    ].sort());
    expect(lines.rows.map((r) => r.id).sort()).toEqual([...(changed?.eventIds ?? [])].sort());
    const body = await page(changed?.bodyfileFilter ?? {});
    expect(body.rows.length).toBeGreaterThanOrEqual(2);
    expect(body.rows.every((r) => r.sourceKind === 'bodyfile' && r.message.includes('/var/www/shop/index.php'))).toBe(true);
  });

  it('a chosen pair and a baseline time; the manifest vs bodyfile checks', async () => {
    const c0 = await ok<FileChanges>(call, 'files.changes', {});
    const at = Date.UTC(2024, 2, 14, 20); // after the last deploy (the evening before), before the incident
    const c = await ok<FileChanges>(call, 'files.changes', { baselineId: c0.baselineId, currentId: c0.currentId, baselineTimeMs: at });
    expect(c.manifests.find((m) => m.evidenceId === c.baselineId)).toMatchObject({ capturedMs: at, capturedFrom: 'analyst' });
    const checks = Object.fromEntries(c.bodyfileChecks.map((x) => [x.relPath, x.status]));
    expect(checks).toMatchObject({ 'index.php': 'modified_after', 'catalog/bags.html': 'missing_in_bodyfile' });
    expect(checks['cart.php']).toBeUndefined();
    const bad = await call('files.changes', { baselineId: 999_999, currentId: 1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('file activity around the restart: the defaced index.php within the hour, histogram and link', async () => {
    const a = await ok<FileActivity>(call, 'files.activity', {});
    expect(a.anchors.some((x) => x.label === 'Apache restart')).toBe(true);
    expect(a.at).not.toBeNull();
    expect(a.rows.some((r) => r.name === '/var/www/shop/index.php' && r.macb.includes('m'))).toBe(true);
    expect(a.histogram.reduce((n, h) => n + h.m + h.a + h.c + h.b, 0)).toBe(a.counts.m + a.counts.a + a.counts.c + a.counts.b);
    const web = await ok<FileActivity>(call, 'files.activity', { at: a.at ?? 0, windowMs: 3_600_000, pathContains: '/var/www/' });
    expect(web.rows.length).toBeGreaterThan(0);
    expect(web.rows.every((r) => r.name.includes('/var/www/'))).toBe(true);
    const linked = await page(web.filter);
    expect(linked.rows.length).toBe(web.rows.length);
  });

  it('strace: PID 4001 killed by SIGSEGV, linked to its error-log line', async () => {
    const s = await ok<StraceSummary>(call, 'files.strace', {});
    const p = s.pids.find((x) => x.pid === 4001);
    expect(p).toMatchObject({ evidencePaths: ['strace/4001.log'], end: { kind: 'killed', text: 'killed by SIGSEGV' }, failed: 1 });
    expect(p?.signals).toEqual([expect.objectContaining({ signal: 'SIGSEGV', count: 2 })]);
    expect(p?.kills).toEqual([expect.objectContaining({ target: 4001, signal: 'SIGSEGV' })]);
    expect(p?.errorLog.map((e) => e.message)).toEqual(['child pid 4001 exit signal Segmentation fault (11)']);
    const events = await page(p?.filter ?? {});
    expect(events.rows.length).toBe(16);
    expect(events.rows.every((r) => r.pid === 4001 && r.sourceKind === 'strace')).toBe(true);
    const err = await page(p?.errorLogFilter ?? {});
    expect(err.rows.map((r) => r.id)).toEqual(p?.errorLog.map((e) => e.eventId));
  });
});
