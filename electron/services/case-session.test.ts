import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DossierError } from '../../shared/api/errors';
import { makeTempDir, type TempDir } from '../db/testing/test-db';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { createBackend, type Backend } from './registry/create-handlers';
import { createDispatcher } from './registry/dispatch';
import { IngestService } from './ingest-service';

describe('case session through the dispatcher', () => {
  let tmp: TempDir;
  let backend: Backend;
  let events: Array<[string, unknown]>;
  beforeEach(() => {
    tmp = makeTempDir();
    events = [];
    backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: null,
      osUser: 'tester', emit: (n, p) => events.push([n, p]), now: () => new Date('2026-01-02T03:04:05Z'), ingest: inProcessIngestPort(),
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await backend.dispose();
    tmp.cleanup();
  });

  it('updates only the metadata fields sent, and audits each change with from/to', async () => {
    const call = createDispatcher(backend.handlers);
    const created = await call('cases.create', { path: tmp.file('nested/dir/a.dossier'), name: 'A', number: 'N-1', examiner: 'Ada', description: 'd' });
    expect(created.ok).toBe(true);
    const updated = await call('cases.updateMeta', { timeZone: 'Europe/Zurich' });
    expect(updated).toMatchObject({ ok: true, value: { name: 'A', number: 'N-1', examiner: 'Ada', description: 'd', timeZone: 'Europe/Zurich' } });
    const audit = await call('audit.list', { limit: 10 });
    const entries = (audit as { ok: true; value: { entries: Array<{ action: string; target: string; details: string }> } }).value.entries;
    const updates = entries.filter((e) => e.action === 'case.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.target).toBe('case.timeZone');
    expect(JSON.parse(updates[0]?.details ?? '{}')).toEqual({ from: 'UTC', to: 'Europe/Zurich' });
    expect(events.some(([n]) => n === 'cases.onChanged')).toBe(true);
  });

  it('refuses an unknown zone and a closed case with clear errors', async () => {
    const call = createDispatcher(backend.handlers);
    expect(await call('cases.updateMeta', { name: 'x' })).toMatchObject({ ok: false, error: { code: 'no_case_open' } });
    expect(await call('cases.create', { path: tmp.file('b.dossier'), name: 'B', timeZone: 'Mars/Base' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('on a full disk: the ingest\'s own error reaches the analyst even when its audit entry cannot be written, and the case still closes', async () => {
    const call = createDispatcher(backend.handlers);
    expect((await call('cases.create', { path: tmp.file('full.dossier'), name: 'F' })).ok).toBe(true);
    const evidence = tmp.file('ev');
    mkdirSync(evidence);
    writeFileSync(join(evidence, 'a.log'), 'x\n');
    // The job fails as a full disk makes it fail; from then on every write of the case is refused too.
    const session = backend.session;
    const real = session.audit.bind(session);
    let full = false;
    vi.spyOn(session, 'audit').mockImplementation((action, target, details) => {
      if (full) {
        throw new DossierError('disk_full', 'Saving to the case file: the disk is full. Free some space and try again; nothing was lost.');
      }
      return real(action, target, details);
    });
    const ingest = new IngestService(
      {
        appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: null, osUser: 'tester',
        emit: (n, p) => events.push([n, p]), now: () => new Date(),
        ingest: {
          ...inProcessIngestPort(),
          run: () => {
            full = true;
            return Promise.reject(new Error('Ingest stopped: the disk is full. The batches committed before are kept.'));
          },
        },
      },
      session,
    );
    const failure = await ingest.runAndWait(evidence, 'UTC', {}).then(() => null, (e: unknown) => (e as Error).message);
    expect(failure).toMatch(/Ingest stopped: the disk is full\. The batches committed before are kept\. \(Its audit entry could not be written either\.\)/u);
    expect(ingest.status().error).toMatch(/^Ingest stopped: the disk is full/u);
    // The end of the ingest is still announced (the progress bar must not spin for ever).
    expect(events.filter(([n]) => n === 'ingest.onDone').at(-1)?.[1]).toMatchObject({ status: 'failed', error: expect.stringMatching(/disk is full/u) });
    // Closing on the full disk closes (only its informational audit entry is missing).
    expect(await call('cases.close', {})).toMatchObject({ ok: true });
    expect(session.current).toBeNull();
  });

  it('ingests a folder, lists evidence, and re-times it without re-ingest', async () => {
    const call = createDispatcher(backend.handlers);
    await call('cases.create', { path: tmp.file('c.dossier'), name: 'C' });
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(tmp.file('ev'));
    writeFileSync(tmp.file('ev/auth.log'), 'Mar  1 10:00:00 web sshd[1]: Failed password for root from 203.0.113.5 port 1 ssh2\n');
    const summary = await backend.ingest.runAndWait(tmp.file('ev'), 'Europe/Berlin', { 'auth.log': { year: 2024 } });
    expect(summary.status).toBe('complete');
    const list = await call('evidence.list', {});
    const item = (list as { ok: true; value: Array<{ id: number; firstUtc: string; timeZone: string }> }).value[0];
    expect(item).toMatchObject({ firstUtc: '2024-03-01T09:00:00.000Z', timeZone: 'Europe/Berlin' });
    const moved = await call('evidence.update', { id: item?.id, timeZone: 'UTC', clockOffsetMs: 60_000 });
    expect(moved).toMatchObject({ ok: true, value: { firstUtc: '2024-03-01T10:01:00.000Z', timeZone: 'UTC', clockOffsetMs: 60_000 } });
    const year = await call('evidence.update', { id: item?.id, year: 2023 });
    expect(year).toMatchObject({ ok: true, value: { firstUtc: '2023-03-01T10:01:00.000Z', yearBase: 2023, yearReason: 'analyst' } });
    const audit = (await call('audit.list', { limit: 50 })) as { ok: true; value: { entries: Array<{ action: string }> } };
    expect(audit.value.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['ingest.start', 'ingest.complete', 'evidence.retime']));
  });
});

describe('integrity of large cases', () => {
  it('opens a large case at once and runs the full check in the background, reporting damage', async () => {
    const { openSync, writeSync, closeSync, statSync } = await import('node:fs');
    const tmp = makeTempDir();
    const events: Array<[string, unknown]> = [];
    const make = () =>
      createBackend({
        appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: null,
        osUser: 'tester', emit: (n, p) => events.push([n, p]), now: () => new Date(), ingest: inProcessIngestPort(),
      });
    let backend = make();
    const call = createDispatcher(backend.handlers);
    await call('cases.create', { path: tmp.file('big.dossier'), name: 'Big' });
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(tmp.file('ev'));
    writeFileSync(tmp.file('ev/access.log'), '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "x"\n'.repeat(20_000));
    await backend.ingest.runAndWait(tmp.file('ev'), 'UTC', {});
    await backend.dispose();
    process.env['DOSSIER_FULL_CHECK_MAX_BYTES'] = '4096';
    try {
      // Healthy: opens with the check pending, then reports ok.
      backend = make();
      let r = await createDispatcher(backend.handlers)('cases.open', { path: tmp.file('big.dossier') });
      expect(r).toMatchObject({ ok: true, value: { integrity: 'checking' } });
      // the check runs in the background: wait for its report, however busy the machine is
      await vi.waitFor(() => expect(events.find(([n]) => n === 'cases.onIntegrity')?.[1]).toMatchObject({ ok: true }), { timeout: 30_000, interval: 25 });
      await backend.dispose();
      // Damage a leaf page of the raw line store (not read on open): the open succeeds, the background
      // check catches it.
      const probe = new Database(tmp.file('big.dossier'), { readonly: true });
      const leaf = probe.prepare("SELECT pageno FROM dbstat WHERE name = 'raw_blocks' AND pagetype = 'leaf' ORDER BY pageno DESC LIMIT 1").get() as { pageno: number };
      const pageSize = probe.pragma('page_size', { simple: true }) as number;
      probe.close();
      expect(statSync(tmp.file('big.dossier')).size).toBeGreaterThan(leaf.pageno * pageSize - 1);
      const fd = openSync(tmp.file('big.dossier'), 'r+');
      writeSync(fd, Buffer.alloc(pageSize, 0xab), 0, pageSize, (leaf.pageno - 1) * pageSize);
      closeSync(fd);
      events.length = 0;
      backend = make();
      r = await createDispatcher(backend.handlers)('cases.open', { path: tmp.file('big.dossier') });
      expect(r.ok).toBe(true);
      await vi.waitFor(() => expect(events.some(([n]) => n === 'cases.onIntegrity')).toBe(true), { timeout: 30_000, interval: 25 });
      const report = events.find(([n]) => n === 'cases.onIntegrity')?.[1] as { ok: boolean; detail: string } | undefined;
      expect(report?.ok).toBe(false);
      expect(report?.detail).toMatch(/damaged/u);
      const summary = await createDispatcher(backend.handlers)('cases.current', {});
      expect(summary).toMatchObject({ ok: true, value: { integrity: 'damaged' } });
      await backend.dispose();
    } finally {
      delete process.env['DOSSIER_FULL_CHECK_MAX_BYTES'];
      tmp.cleanup();
    }
  });
});
