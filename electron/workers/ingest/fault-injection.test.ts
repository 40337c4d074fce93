/**
 * Fault injection (issue 10.5): disk full, a file that vanishes or shrinks while it is read, a
 * worker that crashes or runs out of memory, a second process opening the same case, and power loss
 * simulated by truncating the WAL at several offsets. Each ends with a case that opens, passes
 * integrity_check, holds only whole committed batches, and an analyst-readable message. kill -9 in a
 * loop lives in ingest-crash.test.ts.
 */
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCaseFile, createCaseFile, openCaseFile } from '../../db/case-file';
import { asWritable } from '../../db/connection/sql';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { createBackend, type Backend } from '../../services/registry/create-handlers';
import type { IngestPort } from '../../services/ports/ports';
import { bundleEntry, REPO_ROOT } from '../../testing/bundle';
import { runIngest } from './ingest-engine';
import { inProcessIngestPort, workerIngestPort } from './ingest-port';
import { configureIngestConnection, runIngestJob } from './run-ingest-job';

const ACCESS = (i: number, tag = 'x'): string =>
  `198.51.${Math.floor(i / 250) % 250}.${i % 250} - - [10/Oct/2023:${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /${tag}/item/${i}?q=${(i * 7919) % 100_003} HTTP/1.1" ${i % 13 === 0 ? 404 : 200} ${i % 5000} "-" "agent/${i % 97}"`;

function accessFile(path: string, lines: number, tag = 'x'): void {
  writeFileSync(path, `${Array.from({ length: lines }, (_, i) => ACCESS(i, tag)).join('\n')}\n`);
}

const meta = { name: 'Faults', number: '', examiner: 'Ada', description: '', timeZone: 'UTC', classification: '', actor: 'Ada', appVersion: 'test' };

/** Counts of every fault scenario run, printed at the end (docs/SECURITY.md quotes them). */
const runs = { diskFull: 0, exportFaults: 0, vanished: 0, truncatedDuringRead: 0, workerCrash: 0, workerOom: 0, secondProcess: 0, walTruncations: 0, skipped: [] as string[] };

type Check = Readonly<{ events: number; byPath: Map<string, { status: string; lines: number; detail: string; outcome: string }> }>;

/**
 * The case opens through Dossier (header, quick_check, schema check, lock), integrity_check says
 * ok, and each evidence holds exactly its committed batches: events = sum of batch rows, lines
 * contiguous from 1, raw blocks covering the same lines.
 */
function expectConsistent(casePath: string): Check {
  closeCaseFile(openCaseFile(casePath));
  const db = new Database(casePath, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const evidence = db.prepare("SELECT id, rel_path, status, lines, events, raw_only, outcome, outcome_detail FROM evidence WHERE format != 'archive'").all() as Array<{
      id: number; rel_path: string; status: string; lines: number; events: number; raw_only: number; outcome: string; outcome_detail: string;
    }>;
    const byPath = new Map<string, { status: string; lines: number; detail: string; outcome: string }>();
    for (const e of evidence) {
      const stored = (db.prepare('SELECT count(*) AS n FROM events WHERE evidence_id = ?').get(e.id) as { n: number }).n;
      const batches = db.prepare('SELECT first_line, last_line, rows FROM ingest_batches WHERE evidence_id = ? ORDER BY batch_no').all(e.id) as Array<{ first_line: number; last_line: number; rows: number }>;
      expect(stored, e.rel_path).toBe(batches.reduce((n, b) => n + b.rows, 0));
      expect(e.lines, e.rel_path).toBe(stored);
      expect(e.events + e.raw_only, e.rel_path).toBe(stored);
      let next = 1;
      for (const b of batches) {
        expect(b.first_line, e.rel_path).toBe(next);
        next = b.last_line + 1;
      }
      const raw = (db.prepare('SELECT coalesce(sum(line_count), 0) AS n FROM raw_blocks WHERE evidence_id = ?').get(e.id) as { n: number }).n;
      expect(raw, e.rel_path).toBe(stored);
      byPath.set(e.rel_path, { status: e.status, lines: stored, detail: e.outcome_detail, outcome: e.outcome });
    }
    const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    return { events, byPath };
  } finally {
    db.close();
  }
}

function backendWith(tmp: TempDir, ingest: IngestPort, name: string): Backend {
  return createBackend({
    appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file(`ud-${name}`), defaultCaseDir: tmp.dir, sampleEvidenceDir: null,
    osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest,
  });
}

function tryMountTmpfs(dir: string, size: string): string | null {
  if (process.platform !== 'linux') {
    return 'not Linux';
  }
  if (process.getuid?.() !== 0) {
    return 'not running as root (mounting a small tmpfs needs root; a loop device needs root too)';
  }
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? null : `mount -t tmpfs failed: ${r.stderr.trim() || r.error?.message || `status ${r.status}`}`;
}

describe('fault injection', () => {
  let tmp: TempDir;
  beforeAll(() => {
    tmp = makeTempDir('dossier-faults-');
  });
  afterAll(() => {
    console.info(`[fault-injection] ${JSON.stringify(runs)}`);
    spawnSync('umount', ['-l', tmp.file('small-disk')]);
    spawnSync('umount', ['-l', tmp.file('tiny-disk')]);
    tmp.cleanup();
  });

  it('disk full: the ingest stops with a "disk is full" message, the case opens, committed batches are intact, and a later ingest completes it', async (ctx) => {
    const mountPoint = tmp.file('small-disk');
    mkdirSync(mountPoint);
    const reason = tryMountTmpfs(mountPoint, '4m');
    if (reason !== null) {
      runs.skipped.push(`disk full: ${reason}`);
      console.warn(`[fault-injection] disk-full test skipped: ${reason}`);
      ctx.skip();
      return;
    }
    const backend = backendWith(tmp, inProcessIngestPort(), 'full');
    try {
      const evidence = tmp.file('ev-full');
      mkdirSync(evidence);
      for (let f = 0; f < 3; f += 1) {
        accessFile(join(evidence, `access.${f}.log`), 30_000, `f${f}`);
      }
      const casePath = join(mountPoint, 'case.dossier');
      // Some slack to free afterwards, as an analyst would.
      writeFileSync(join(mountPoint, 'other-file'), Buffer.alloc(384 * 1024, 1));
      await backend.handlers['cases.create']({ path: casePath, name: 'Full disk', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '' });
      const failure = await backend.ingest.runAndWait(evidence, 'UTC', {}, 2000).then(
        () => null,
        (e: unknown) => (e as Error).message,
      );
      expect(failure).toMatch(/the disk is full/u);
      expect(failure).toMatch(/committed before are kept/u);
      expect(backend.ingest.status().error).toMatch(/^Ingest stopped: the disk is full/u);
      // the open case still answers
      expect((await backend.handlers['timeline.page']({ filter: {}, limit: 5 })).rows.length).toBeGreaterThan(0);
      await backend.handlers['cases.close']({});
      unlinkSync(join(mountPoint, 'other-file'));
      const after = expectConsistent(casePath);
      expect(after.events).toBeGreaterThan(0);
      expect(after.events).toBeLessThan(90_000);
      // more room: the same folder again completes the case, every line exactly once
      expect(spawnSync('mount', ['-o', 'remount,size=96m', mountPoint]).status).toBe(0);
      await backend.handlers['cases.open']({ path: casePath });
      const summary = await backend.ingest.runAndWait(evidence, 'UTC', {}, 2000);
      expect(summary.status).toBe('complete');
      const audit = await backend.handlers['audit.list']({ limit: 50 });
      // The failure is in the audit log, unless the full disk refused that entry too: then the ingest's
      // message said so (and the analyst read it).
      const auditWritten = !/audit entry could not be written/u.test(failure ?? '');
      expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(auditWritten ? ['ingest.failed', 'ingest.complete'] : ['ingest.complete']));
      await backend.handlers['cases.close']({});
      const done = expectConsistent(casePath);
      expect(done.events).toBe(90_000);
      expect([...done.byPath.values()].every((e) => e.status === 'complete')).toBe(true);
      runs.diskFull += 1;
    } finally {
      await backend.dispose();
      spawnSync('umount', ['-l', mountPoint]);
    }
  }, 120_000);

  it('an export to a missing folder, and an export that fills the disk: a clear message, no partial file, the case unchanged', async (ctx) => {
    const backend = backendWith(tmp, inProcessIngestPort(), 'export');
    const mountPoint = tmp.file('tiny-disk');
    mkdirSync(mountPoint);
    try {
      const folder = tmp.file('ev-export');
      mkdirSync(folder);
      accessFile(join(folder, 'access.log'), 20_000, 'export');
      await backend.handlers['cases.create']({ path: tmp.file('export.dossier'), name: 'Export', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '' });
      await backend.ingest.runAndWait(folder, 'UTC', {});
      const missing = tmp.file('no-such-folder/all.csv');
      await expect(Promise.resolve().then(() => backend.handlers['timeline.export']({ filter: {}, format: 'csv', path: missing }))).rejects.toMatchObject({
        code: 'not_found',
        message: expect.stringMatching(/folder .*no-such-folder does not exist/u) as unknown,
      });
      runs.exportFaults += 1;
      const reason = tryMountTmpfs(mountPoint, '256k');
      if (reason !== null) {
        runs.skipped.push(`export disk full: ${reason}`);
        ctx.skip();
        return;
      }
      const target = join(mountPoint, 'all.jsonl');
      await expect(Promise.resolve().then(() => backend.handlers['timeline.export']({ filter: {}, format: 'jsonl', path: target }))).rejects.toMatchObject({
        code: 'disk_full',
        message: expect.stringMatching(/the disk is full/u) as unknown,
      });
      expect(readdirSync(mountPoint)).toEqual([]);
      const audit = await backend.handlers['audit.list']({ limit: 20 });
      expect(audit.entries.some((e) => e.action === 'export.events')).toBe(false);
      runs.exportFaults += 1;
    } finally {
      await backend.dispose();
      spawnSync('umount', ['-l', mountPoint]);
    }
  }, 120_000);

  it('a file deleted after the scan, and a file truncated while it is read: clear notes, everything else ingested', async () => {
    const folder = tmp.file('ev-vanish');
    mkdirSync(folder);
    accessFile(join(folder, 'a.log'), 20_000, 'a');
    accessFile(join(folder, 'big.log'), 240_000, 'big');
    accessFile(join(folder, 'z.log'), 20_000, 'z');
    const casePath = tmp.file('vanish.dossier');
    closeCaseFile(createCaseFile({ ...meta, path: casePath }));
    let deleted = false;
    let truncated = false;
    const summary = await runIngestJob(
      { dbPath: casePath, options: { root: folder, timeZone: 'UTC', batchRows: 2000, skipFullText: true } },
      {
        onProgress: (p) => {
          // Progress comes at most every 250 ms, and a.log may be read within that: z.log goes at the
          // first progress of the reading (a.log or big.log), well before z.log is reached.
          if (!deleted && (p.currentFile === 'a.log' || p.currentFile === 'big.log')) {
            unlinkSync(join(folder, 'z.log'));
            deleted = true;
          }
          if (!truncated && p.currentFile === 'big.log' && p.lines > 30_000) {
            truncateSync(join(folder, 'big.log'), 1_000_000);
            truncated = true;
          }
        },
      },
    );
    expect(deleted && truncated).toBe(true);
    expect(summary.status).toBe('complete');
    const check = expectConsistent(casePath);
    expect(check.byPath.get('a.log')).toMatchObject({ status: 'complete', lines: 20_000 });
    const gone = check.byPath.get('z.log');
    expect(gone).toMatchObject({ status: 'failed', outcome: 'unreadable', lines: 0 });
    expect(gone?.detail).toMatch(/no such file|not found|ENOENT|vanished|disappeared/iu);
    const big = check.byPath.get('big.log');
    expect(big?.lines).toBeGreaterThan(0);
    expect(big?.lines).toBeLessThan(240_000);
    expect(big?.detail).toMatch(/changed while it was read|shrank|truncated/iu);
    runs.vanished += 1;
    runs.truncatedDuringRead += 1;
  }, 120_000);

  describe('the ingest worker', () => {
    let crashingWorker: string;
    let realWorker: string;
    let folder: string;
    beforeAll(async () => {
      crashingWorker = await bundleEntry('electron/workers/ingest/testing/crashing-ingest.worker.ts', 'crashing-ingest.worker');
      realWorker = await bundleEntry('electron/workers/ingest/ingest.worker.ts', 'ingest.worker');
      folder = tmp.file('ev-worker');
      mkdirSync(folder);
      for (let f = 0; f < 4; f += 1) {
        accessFile(join(folder, `access.${f}.log`), 60_000, `w${f}`);
      }
    }, 60_000);

    async function afterFault(casePath: string, port: IngestPort, name: string, expected: RegExp, totalLines = 240_000): Promise<number> {
      const broken = backendWith(tmp, port, name);
      try {
        await broken.handlers['cases.create']({ path: casePath, name, number: '', examiner: '', description: '', timeZone: 'UTC', classification: '' });
        const failure = await broken.ingest.runAndWait(folder, 'UTC', {}, 2000).then(
          () => null,
          (e: unknown) => (e as Error).message,
        );
        expect(failure).toMatch(new RegExp(expected.source.replace(/^\^/u, ''), 'u'));
        expect(broken.ingest.status()).toMatchObject({ running: false });
        expect(broken.ingest.status().error).toMatch(expected);
        // the back end keeps serving the case
        await broken.handlers['evidence.list']({});
      } finally {
        await broken.dispose();
      }
      const check = expectConsistent(casePath);
      expect(check.events).toBeLessThan(totalLines);
      // the next ingest (a healthy worker) completes the case, every line once
      const healthy = backendWith(tmp, workerIngestPort(realWorker), `${name}-again`);
      try {
        await healthy.handlers['cases.open']({ path: casePath });
        expect((await healthy.ingest.runAndWait(folder, 'UTC', {}, 2000)).status).toBe('complete');
      } finally {
        await healthy.dispose();
      }
      expect(expectConsistent(casePath).events).toBe(totalLines);
      return check.events;
    }

    it('crashes mid-ingest (an uncaught exception in the worker): a clear message, a consistent case, nothing committed lost', async () => {
      process.env['DOSSIER_TEST_CRASH_AFTER_MS'] = '600';
      try {
        await afterFault(tmp.file('crash.dossier'), workerIngestPort(crashingWorker), 'crash', /^Ingest stopped: the ingest worker crashed \(injected crash/u);
      } finally {
        delete process.env['DOSSIER_TEST_CRASH_AFTER_MS'];
      }
      runs.workerCrash += 1;
    }, 180_000);

    it('runs out of memory (tiny resourceLimits; a file of long distinct user names grows the intern table): a clear message, a consistent case, nothing committed lost', async () => {
      const heavy = join(folder, 'access.9-heavy.log');
      writeFileSync(heavy, `${Array.from({ length: 60_000 }, (_, i) => ACCESS(i).replace(' - - [', ` - u${i}-${'x'.repeat(300)} [`)).join('\n')}\n`);
      try {
        const committed = await afterFault(
          tmp.file('oom.dossier'),
          workerIngestPort(realWorker, { resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 1 } }),
          'oom',
          /^Ingest stopped: the ingest ran out of memory/u,
          300_000,
        );
        console.info(`[fault-injection] out of memory after ${committed} committed lines`);
      } finally {
        unlinkSync(heavy);
      }
      runs.workerOom += 1;
    }, 180_000);
  });

  it('a second process cannot ingest into a case open here: "open elsewhere", nothing written', async () => {
    const cli = await bundleEntry('electron/cli/cli.ts', 'cli');
    const folder = tmp.file('ev-second');
    mkdirSync(folder);
    accessFile(join(folder, 'access.log'), 1000);
    const casePath = tmp.file('shared.dossier');
    const open = createCaseFile({ ...meta, path: casePath });
    try {
      const r = spawnSync(process.execPath, [cli, 'ingest', folder, '--case', casePath, '--quiet'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, DOSSIER_USER_DATA: tmp.file('ud-second') }, timeout: 60_000 });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/open elsewhere|open in another/iu);
      expect(r.stderr).not.toMatch(/\n\s+at /u);
      expect((open.db.prepare('SELECT count(*) AS n FROM evidence').get() as { n: number }).n).toBe(0);
    } finally {
      closeCaseFile(open);
    }
    expect(expectConsistent(casePath).events).toBe(0);
    // and once this process has closed it, the other one can
    execFileSync(process.execPath, [cli, 'ingest', folder, '--case', casePath, '--quiet'], { cwd: REPO_ROOT, env: { ...process.env, DOSSIER_USER_DATA: tmp.file('ud-second') } });
    expect(expectConsistent(casePath).events).toBe(1000);
    runs.secondProcess += 1;
  }, 120_000);

  it('power loss: the WAL cut at many offsets mid-ingest; every variant opens, passes integrity_check, keeps everything up to the last checkpoint and only whole batches', async () => {
    const first = tmp.file('ev-pl-1');
    const second = tmp.file('ev-pl-2');
    mkdirSync(first);
    mkdirSync(second);
    accessFile(join(first, 'before.log'), 10_000, 'before');
    accessFile(join(second, 'during.log'), 40_000, 'during');
    const casePath = tmp.file('power.dossier');
    closeCaseFile(createCaseFile({ ...meta, path: casePath }));
    const snap = tmp.file('power-snapshot');
    mkdirSync(snap);
    const db = new Database(casePath, { fileMustExist: true });
    const at = { checkpointed: 0, snapshotBatches: 0 };
    try {
      configureIngestConnection(db);
      db.pragma('wal_autocheckpoint = 0');
      await runIngest(asWritable(db), { root: first, timeZone: 'UTC', batchRows: 2000 });
      db.pragma('wal_checkpoint(TRUNCATE)');
      at.checkpointed = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      const controller = new AbortController();
      let batches = 0;
      await runIngest(asWritable(db), {
        root: second,
        timeZone: 'UTC',
        batchRows: 2000,
        signal: controller.signal,
        onBatch: () => {
          batches += 1;
          if (batches === 7) {
            // the machine loses power here: what is on disk is the case file and its WAL
            copyFileSync(casePath, join(snap, 'case.dossier'));
            copyFileSync(`${casePath}-wal`, join(snap, 'case.dossier-wal'));
            at.snapshotBatches = batches;
            controller.abort(new Error('power lost'));
          }
        },
      });
    } finally {
      db.close();
    }
    const { checkpointed, snapshotBatches } = at;
    expect(checkpointed).toBe(10_000);
    expect(snapshotBatches).toBe(7);
    const wal = readFileSync(join(snap, 'case.dossier-wal'));
    expect(wal.length).toBeGreaterThan(100_000);
    const pageSize = wal.readUInt32BE(8);
    const frame = 24 + pageSize;
    const offsets = [0, 16, 32, 32 + 24, 32 + frame, 32 + frame + 100, 32 + 5 * frame - 1];
    for (let k = 1; k < 12; k += 1) {
      offsets.push(Math.floor((wal.length * k) / 12));
    }
    offsets.push(wal.length - frame, wal.length - 1, wal.length);
    let previous = -1;
    for (const [i, offset] of [...new Set(offsets)].sort((a, b) => a - b).entries()) {
      const dir = tmp.file(`power-${i}`);
      mkdirSync(dir);
      const variant = join(dir, 'case.dossier');
      copyFileSync(join(snap, 'case.dossier'), variant);
      writeFileSync(`${variant}-wal`, wal.subarray(0, offset));
      const check = expectConsistent(variant);
      // nothing from before the last checkpoint is lost, and nothing appears that was never committed
      expect(check.byPath.get('before.log'), `offset ${offset}`).toMatchObject({ status: 'complete', lines: 10_000 });
      expect(check.events, `offset ${offset}`).toBeGreaterThanOrEqual(checkpointed);
      expect(check.events, `offset ${offset}`).toBeLessThanOrEqual(checkpointed + snapshotBatches * 2000);
      expect((check.events - checkpointed) % 2000, `offset ${offset}`).toBe(0);
      expect(check.events, `offset ${offset}: a longer WAL never holds less`).toBeGreaterThanOrEqual(previous);
      // an interrupted file is never shown as complete: the UI offers to redo it
      const during = check.byPath.get('during.log');
      if (during !== undefined) {
        expect(during.status, `offset ${offset}`).not.toBe('complete');
      }
      previous = check.events;
      runs.walTruncations += 1;
    }
    // the whole WAL keeps every batch committed before the power cut
    expect(previous).toBe(checkpointed + snapshotBatches * 2000);
    expect(statSync(join(snap, 'case.dossier')).size).toBeGreaterThan(0);
  }, 180_000);
});
