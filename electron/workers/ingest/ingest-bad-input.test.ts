import { createHash } from 'node:crypto';
import { appendFileSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventFlag } from '../../../shared/domain/event-flags';
import { closeCaseFile, createCaseFile, type OpenCase } from '../../db/case-file';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { rebuild } from './testing/rebuild';
import { runIngest } from './ingest-engine';

const meta = { name: 'T', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };
const ACCESS = '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326 "-" "curl/8.0"';

type Ev = { id: number; rel_path: string; outcome: string; status: string; lines: number; events: number; raw_only: number; oversized: number; invalid_utf8: number; outcome_detail: string; sha256: string | null };

function walkFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory() === true) {
      out.push(...walkFiles(p));
    } else if (st?.isFile() === true) {
      out.push(p);
    }
  }
  return out;
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    walkFiles(dir).map((f) => {
      const st = statSync(f);
      return [relative(dir, f), `${createHash('sha256').update(readFileSync(f)).digest('hex')} ${st.size} ${st.mtimeMs}`];
    }),
  );
}

describe('ingest: bad inputs lose nothing and say what happened', () => {
  let tmp: TempDir;
  let open: OpenCase;
  let folder: string;
  const evidence = (): Ev[] => open.db.prepare('SELECT * FROM evidence ORDER BY rel_path').all() as Ev[];
  const byPath = (p: string): Ev => {
    const e = evidence().find((x) => x.rel_path === p);
    if (e === undefined) {
      throw new Error(`no evidence ${p}`);
    }
    return e;
  };

  beforeEach(() => {
    tmp = makeTempDir();
    folder = tmp.file('case-folder');
    mkdirSync(folder);
    open = createCaseFile({ ...meta, path: tmp.file('c.dossier') });
  });
  afterEach(() => {
    closeCaseFile(open);
    tmp.cleanup();
  });

  it('handles binary, empty, invalid UTF-8, CRLF and mixed line ends, a 10 MB line, symlink loops and links out, and leaves the folder untouched', async () => {
    writeFileSync(join(folder, 'binary.bin'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4096, 0)]));
    writeFileSync(join(folder, 'empty.log'), '');
    const invalid = Buffer.concat([Buffer.from(`${ACCESS}\n`), Buffer.from([0x47, 0x45, 0x54, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a]), Buffer.from(`${ACCESS}\n`)]);
    writeFileSync(join(folder, 'invalid-utf8.log'), invalid);
    writeFileSync(join(folder, 'crlf.log'), `${ACCESS}\r\n${ACCESS}\r\n${ACCESS}\n${ACCESS}\r\n${ACCESS}`);
    const long = Buffer.concat([Buffer.from(`${ACCESS}\n`), Buffer.alloc(10 * 1024 * 1024, 0x41), Buffer.from(`\n${ACCESS}\n`)]);
    writeFileSync(join(folder, 'long-line.log'), long);
    mkdirSync(join(folder, 'loop'));
    symlinkSync('..', join(folder, 'loop', 'up'));
    symlinkSync('/etc', join(folder, 'outside'));
    const before = snapshot(folder);

    const summary = await runIngest(open.db, { root: folder, timeZone: 'UTC' });
    expect(summary.status).toBe('complete');

    expect(byPath('binary.bin')).toMatchObject({ outcome: 'binary', lines: 0, events: 0 });
    expect(byPath('binary.bin').sha256).toBe(createHash('sha256').update(readFileSync(join(folder, 'binary.bin'))).digest('hex'));
    expect(byPath('empty.log')).toMatchObject({ outcome: 'empty', lines: 0, status: 'complete' });

    const inv = byPath('invalid-utf8.log');
    expect(inv).toMatchObject({ lines: 3, invalid_utf8: 1 });
    expect(rebuild(open, inv.id).equals(invalid)).toBe(true);
    const flagged = open.db.prepare('SELECT flags FROM events WHERE evidence_id = ? AND line_no = 2').get(inv.id) as { flags: number };
    expect(flagged.flags & EventFlag.InvalidUtf8).toBe(EventFlag.InvalidUtf8);

    const crlf = byPath('crlf.log');
    expect(crlf).toMatchObject({ lines: 5, events: 5, raw_only: 0 });
    expect(rebuild(open, crlf.id).equals(readFileSync(join(folder, 'crlf.log')))).toBe(true);

    const ll = byPath('long-line.log');
    expect(ll).toMatchObject({ lines: 3, oversized: 1, events: 2, raw_only: 1 });
    expect(rebuild(open, ll.id).equals(long)).toBe(true);

    expect(byPath('loop/up')).toMatchObject({ outcome: 'symlink_loop' });
    expect(byPath('outside')).toMatchObject({ outcome: 'symlink_outside' });
    expect(byPath('outside').outcome_detail).toMatch(/outside the case folder/u);

    // Every line accounted for.
    for (const e of evidence()) {
      expect(e.events + e.raw_only).toBe(e.lines);
    }
    // Evidence is sacred: same bytes, same mtimes.
    expect(snapshot(folder)).toEqual(before);
  });

  it('keeps what a truncated .gz holds and says it was cut short', async () => {
    const whole = gzipSync(Buffer.from(`${Array.from({ length: 5000 }, () => ACCESS).join('\n')}\n`));
    writeFileSync(join(folder, 'access.log.2.gz'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    await runIngest(open.db, { root: folder, timeZone: 'UTC' });
    const e = byPath('access.log.2.gz');
    expect(e.status).toBe('partial');
    expect(e.lines).toBeGreaterThan(1000);
    expect(e.lines).toBeLessThan(5000);
    expect(e.events + e.raw_only).toBe(e.lines);
    expect(e.outcome_detail).toMatch(/unexpected|end|truncat/iu);
    expect(e.sha256).toBe(createHash('sha256').update(readFileSync(join(folder, 'access.log.2.gz'))).digest('hex'));
  });

  it('stops a gzip bomb at the limit with a clear message and keeps what was decoded', async () => {
    const bomb = gzipSync(Buffer.from(`${ACCESS}\n`.repeat(200_000)), { level: 9 });
    writeFileSync(join(folder, 'bomb.log.gz'), bomb);
    await runIngest(open.db, { root: folder, timeZone: 'UTC', limits: { ratio: 10, floorBytes: 1024 * 1024 } });
    const e = byPath('bomb.log.gz');
    expect(e.status).toBe('partial');
    expect(e.outcome_detail).toMatch(/decompression_limit|limit/iu);
    expect(e.lines).toBeGreaterThan(1000);
    const content = gunzipSync(bomb);
    const kept = rebuild(open, e.id);
    expect(content.subarray(0, kept.length).equals(kept)).toBe(true);
  });

  it('reads a file that grows during ingest up to its size at opening, and says so', async () => {
    const big = join(folder, 'growing.log');
    writeFileSync(big, `${Array.from({ length: 120_000 }, () => ACCESS).join('\n')}\n`);
    const sizeAtStart = statSync(big).size;
    let appended = false;
    await runIngest(open.db, {
      root: folder,
      timeZone: 'UTC',
      batchRows: 10_000,
      onBatch: () => {
        if (!appended) {
          appended = true;
          appendFileSync(big, `${ACCESS}\n`.repeat(1000));
        }
      },
    });
    const e = byPath('growing.log');
    expect(e.lines).toBe(120_000);
    expect(e.outcome_detail).toMatch(/grew/u);
    expect(rebuild(open, e.id).length).toBe(sizeAtStart);
  });

  it('ingesting the same folder again adds nothing; a changed file becomes a new version', async () => {
    writeFileSync(join(folder, 'access.log'), `${ACCESS}\n${ACCESS}\n`);
    await runIngest(open.db, { root: folder, timeZone: 'UTC' });
    const again = await runIngest(open.db, { root: folder, timeZone: 'UTC' });
    expect(again.unchanged).toBe(1);
    expect((open.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(2);
    appendFileSync(join(folder, 'access.log'), `${ACCESS}\n`);
    await runIngest(open.db, { root: folder, timeZone: 'UTC' });
    const versions = open.db.prepare("SELECT version, supersedes, lines FROM evidence WHERE rel_path = 'access.log' ORDER BY version").all();
    expect(versions).toEqual([
      { version: 1, supersedes: null, lines: 2 },
      { version: 2, supersedes: expect.any(Number), lines: 3 },
    ]);
  });
});
