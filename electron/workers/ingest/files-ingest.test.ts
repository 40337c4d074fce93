/**
 * Files-and-processes evidence through the real ingest engine: bodyfile entries become one event per
 * MACB time (raw bytes stored once, line/event counters right), strace times of day take their date
 * from the file's mtime in the evidence's zone (rolled over at midnight, provenance recorded), per-PID
 * strace files give their PID to every line, and hash manifests are untimed events the timeline shows
 * with includeUntimed.
 */
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventFlag } from '../../../shared/domain/event-flags';
import { closeCaseFile, createCaseFile, type OpenCase } from '../../db/case-file';
import { queryPage } from '../../db/queries/timeline';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { corpusDir } from '../../testing/corpus';
import { runIngest } from './ingest-engine';
import { rebuild } from './testing/rebuild';

const meta = { name: 'Files', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };

type Ev = { id: number; rel_path: string; format: string; source_kind: string; lines: number; events: number; raw_only: number; untimed: number; year_reason: string | null; first_ts: number | null; last_ts: number | null };

const BODYFILE = [
  '0|/var/www/shop/index.php|1234|r/rrw-r--r--|33|33|5120|1710561600|1710558000|1710558000|0',
  '# a comment',
  '0|/var/www/shop/<script>alert(1)</script>.php|1235|r/rrw-r--r--|33|33|10|1710561600|1710561600|1710561600|0',
  '0|/deleted (deleted)|0|r/----------|0|0|0|0|0|0|0',
  '0|/tmp/a\\|b|9|r/rrw-------|0|0|7|1|2|3|4',
].join('\n');

describe('files and processes through the ingest engine', () => {
  let tmp: TempDir;
  let open: OpenCase;
  let root: string;
  const write = (rel: string, content: string | Buffer, mtime?: Date): void => {
    const f = join(root, rel);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, content);
    if (mtime !== undefined) {
      utimesSync(f, mtime, mtime);
    }
  };
  const evidence = (): Record<string, Ev> =>
    Object.fromEntries((open.db.prepare('SELECT * FROM evidence ORDER BY rel_path').all() as Ev[]).map((e) => [e.rel_path, e]));
  const rows = (id: number) =>
    open.db.prepare('SELECT e.line_no, e.ts, e.flags, e.pid, e.message, e.extra, s.value AS kind FROM events e JOIN strings s ON s.id = e.kind WHERE evidence_id = ? ORDER BY e.id').all(id) as Array<{
      line_no: number; ts: number | null; flags: number; pid: number | null; message: string; extra: string | null; kind: string;
    }>;

  beforeEach(() => {
    tmp = makeTempDir();
    root = join(tmp.dir, 'case');
    mkdirSync(root);
    open = createCaseFile({ ...meta, path: tmp.file('f.dossier') });
  });
  afterEach(() => {
    closeCaseFile(open);
    tmp.cleanup();
  });

  it('bodyfile: one row per MACB time, raw bytes once, counters right, file rebuilt byte for byte', async () => {
    write('bodyfile/bodyfile.txt', `${BODYFILE}\n`);
    const summary = await runIngest(open.db, { root, timeZone: 'UTC' });
    expect(summary.status).toBe('complete');
    const e = evidence()['bodyfile/bodyfile.txt'];
    expect(e).toMatchObject({ format: 'bodyfile', source_kind: 'bodyfile', lines: 5, raw_only: 1 });
    const r = rows(e?.id ?? 0);
    // line 1: m.c. + .a.. ; line 2: comment (raw) ; line 3: macb ; line 4: untimed ; line 5: four distinct times
    expect(r.map((x) => [x.line_no, x.kind, x.extra === null ? null : (JSON.parse(x.extra) as Record<string, unknown>)['macb'] ?? null])).toEqual([
      [1, 'file_time', 'm.c.'], [1, 'file_time', '.a..'], [2, 'raw', null], [3, 'file_time', 'mac.'], [4, 'file_time', '....'],
      [5, 'file_time', '.a..'], [5, 'file_time', 'm...'], [5, 'file_time', '..c.'], [5, 'file_time', '...b'],
    ]);
    expect(e?.events).toBe(8);
    expect((e?.events ?? 0) + (e?.raw_only ?? 0)).toBe(r.length);
    expect(e?.untimed).toBe(2); // the comment and the entry without times
    expect(r[0]?.ts).toBe(1710558000000);
    expect(r[1]?.ts).toBe(1710561600000);
    expect((r[0]?.flags ?? 0) & EventFlag.TimeAbsolute).not.toBe(0);
    expect(r[1]?.message).toBe('.a.. /var/www/shop/index.php (r/rrw-r--r--, uid 33, 5120 bytes)');
    expect(rebuild(open, e?.id ?? 0).equals(readFileSync(join(root, 'bodyfile/bodyfile.txt')))).toBe(true);
    const blocks = open.db.prepare('SELECT sum(line_count) AS n FROM raw_blocks WHERE evidence_id = ?').get(e?.id) as { n: number };
    expect(blocks.n).toBe(5);
    const batches = open.db.prepare('SELECT first_line, last_line, rows FROM ingest_batches WHERE evidence_id = ?').all(e?.id) as Array<{ first_line: number; last_line: number; rows: number }>;
    expect(batches).toEqual([{ first_line: 1, last_line: 5, rows: 9 }]);
    const hist = open.db.prepare('SELECT sum(n) AS n FROM hist_minute WHERE evidence_id = ?').get(e?.id) as { n: number };
    expect(hist.n).toBe(7);
    // the timeline shows every MACB event, the untimed ones with includeUntimed
    const timed = queryPage(open.db, { sourceKinds: ['bodyfile'] }, { limit: 100 });
    expect(timed.rows.length).toBe(7);
    const all = queryPage(open.db, { sourceKinds: ['bodyfile'], includeUntimed: true }, { limit: 100 });
    expect(all.rows.length).toBe(9); // with the untimed entry and the comment line (raw)
  });

  it('bodyfile across batches: counters and raw blocks stay right when a batch boundary falls among MACB rows', async () => {
    const many = Array.from({ length: 300 }, (_, i) => `0|/f${i}|${i}|r/rrw-------|0|0|1|${1000 + i}|${2000 + i}|${3000 + i}|0`).join('\n');
    write('x.bodyfile', `${many}\n`);
    await runIngest(open.db, { root, timeZone: 'UTC', batchRows: 64 });
    const e = evidence()['x.bodyfile'];
    expect(e).toMatchObject({ lines: 300, events: 900, raw_only: 0 });
    expect((open.db.prepare('SELECT count(*) AS n FROM events WHERE evidence_id = ?').get(e?.id) as { n: number }).n).toBe(900);
    expect(rebuild(open, e?.id ?? 0).equals(readFileSync(join(root, 'x.bodyfile')))).toBe(true);
    const batches = open.db.prepare('SELECT first_line, last_line, rows FROM ingest_batches WHERE evidence_id = ? ORDER BY batch_no').all(e?.id) as Array<{ first_line: number; last_line: number; rows: number }>;
    expect(batches.reduce((n, b) => n + b.rows, 0)).toBe(900);
    expect(batches.reduce((n, b) => n + b.last_line - b.first_line + 1, 0)).toBe(300);
  });

  it('strace -tt per-PID file: PID from the name, date from the mtime in the zone, midnight rollover, provenance', async () => {
    // written up to 00:00:30 Berlin time on 16 Mar 2024 (23:00:30 UTC on the 15th)
    const mtime = new Date(Date.UTC(2024, 2, 15, 23, 0, 30));
    write('strace/4001.log', ['23:59:58.500000 read(12, "GET / HTTP/1.1\\r\\n", 8000) = 16', '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---', '00:00:01.000000 +++ killed by SIGSEGV +++', ''].join('\n'), mtime);
    await runIngest(open.db, { root, timeZone: 'Europe/Berlin' });
    const e = evidence()['strace/4001.log'];
    expect(e).toMatchObject({ format: 'strace', source_kind: 'strace', lines: 3, events: 3, raw_only: 0, year_reason: 'file_mtime+rollover' });
    const r = rows(e?.id ?? 0);
    expect(r.map((x) => x.pid)).toEqual([4001, 4001, 4001]);
    expect(r.map((x) => x.kind)).toEqual(['strace_syscall', 'strace_signal', 'strace_killed']);
    // 23:59:58.5 on the 15th Berlin (22:59:58.5 UTC), then 00:00:01 on the 16th (23:00:01 UTC)
    expect(r[0]?.ts).toBe(Date.UTC(2024, 2, 15, 22, 59, 58, 500));
    expect(r[1]?.ts).toBeNull();
    expect(r[2]?.ts).toBe(Date.UTC(2024, 2, 15, 23, 0, 1));
    expect((r[0]?.flags ?? 0) & EventFlag.DateInferred).not.toBe(0);
    expect((r[2]?.flags ?? 0) & EventFlag.TimeZoned).not.toBe(0);
  });

  it('strace -t over more than a day: moved back so the last line is not after the mtime', async () => {
    const mtime = new Date(Date.UTC(2024, 2, 17, 12, 0, 0));
    write('2880.log', ['13:00:00 getpid() = 2880', '23:00:00 getpid() = 2880', '01:00:00 getpid() = 2880', '23:00:00 getpid() = 2880', '11:00:00 +++ exited with 0 +++', ''].join('\n'), mtime);
    await runIngest(open.db, { root, timeZone: 'UTC' });
    const e = evidence()['2880.log'];
    const r = rows(e?.id ?? 0);
    expect(r.map((x) => new Date(x.ts ?? 0).toISOString())).toEqual([
      '2024-03-15T13:00:00.000Z', '2024-03-15T23:00:00.000Z', '2024-03-16T01:00:00.000Z', '2024-03-16T23:00:00.000Z', '2024-03-17T11:00:00.000Z',
    ]);
    expect(e?.last_ts).toBe(Date.UTC(2024, 2, 17, 11, 0, 0));
  });

  it('hash manifests: untimed events (listed with includeUntimed), the raw line kept', async () => {
    write('baseline/md5sums.txt', 'd41d8cd98f00b204e9800998ecf8427e  var/www/shop/empty.txt\n0cc175b9c0f1b6a831c399e269772661  var/www/shop/index.php\n');
    write('hash_executables/hash_executables.sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709  /usr/bin/id\n');
    await runIngest(open.db, { root, timeZone: 'UTC' });
    const ev = evidence();
    expect(ev['baseline/md5sums.txt']).toMatchObject({ format: 'hash_manifest', source_kind: 'hash_manifest', lines: 2, events: 2, untimed: 2 });
    expect(ev['hash_executables/hash_executables.sha1']).toMatchObject({ format: 'hash_manifest', lines: 1, events: 1 });
    expect(queryPage(open.db, { sourceKinds: ['hash_manifest'] }, { limit: 10 }).rows.length).toBe(0);
    const page = queryPage(open.db, { sourceKinds: ['hash_manifest'], includeUntimed: true }, { limit: 10 });
    expect(page.rows.map((r) => r.message)).toContain('0cc175b9c0f1b6a831c399e269772661  var/www/shop/index.php');
  });

  it.skipIf(corpusDir() === null)("plaso's bodyfile.corrupt through the engine: 3 lines, 6 events (plaso's 10 timestamps), 1 warning, CR kept inside its line", async () => {
    const c = corpusDir() ?? '';
    write('bodyfile.corrupt', readFileSync(join(c, 'plaso/bodyfile/bodyfile.corrupt')));
    await runIngest(open.db, { root, timeZone: 'UTC', files: { 'bodyfile.corrupt': { format: 'bodyfile' } } });
    const e = evidence()['bodyfile.corrupt'];
    expect(e).toMatchObject({ lines: 3, events: 6, raw_only: 0 });
    const letters = rows(e?.id ?? 0).map((x) => String((JSON.parse(x.extra ?? '{}') as Record<string, unknown>)['macb']).replace(/\./gu, '').length);
    expect(letters.reduce((a, b) => a + b, 0)).toBe(10);
    const warnings = rows(e?.id ?? 0).filter((x) => x.extra !== null && (JSON.parse(x.extra) as Record<string, unknown>)['warning'] !== undefined);
    expect(new Set(warnings.map((w) => w.line_no))).toEqual(new Set([2]));
    expect(rebuild(open, e?.id ?? 0).equals(readFileSync(join(c, 'plaso/bodyfile/bodyfile.corrupt')))).toBe(true);
  });
});
