import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summariseActivity } from './bodyfile-activity';
import { diffManifests, manifestVsBodyfile, orderPair, pickPair, type ManifestEntry } from './manifest-diff';
import { alignRoots, relativeTo, segments } from './paths';
import { parseChildExit, summariseStrace, type StraceRow } from './strace-summary';

let nextId = 1;
function manifest(lines: ReadonlyArray<readonly [string, string]>, algorithm = 'md5'): ManifestEntry[] {
  return lines.map(([hash, path], i) => ({ path, hash, algorithm, eventId: nextId++, lineNo: i + 1 }));
}

const H = (c: string) => c.repeat(32);

describe('paths and root alignment', () => {
  it('segments ignore ./, doubled and trailing slashes and backslashes', () => {
    expect(segments('./var//www\\html/')).toEqual(['var', 'www', 'html']);
    expect(relativeTo('/var/www/html/index.php', 'var/www/html')).toBe('index.php');
    expect(relativeTo('/etc/passwd', 'var/www/html')).toBe('/etc/passwd');
  });

  it('aligns a listing made from the web root with one made from /', () => {
    const a = ['./index.php', './images/logo.png', './cart.php'];
    const b = ['/var/www/html/index.php', '/var/www/html/images/logo.png', '/var/www/html/cart.php', '/usr/bin/id'];
    expect(alignRoots(a, b)).toEqual({ prefixA: '', prefixB: 'var/www/html', votes: 3 });
    expect(alignRoots(b, b).prefixA).toBe('');
  });
});

describe('baseline vs now', () => {
  it("finds seed 004's modified index.php, appeared and disappeared files, across different roots", () => {
    const baseline = manifest([[H('a'), './index.php'], [H('b'), './index.html'], [H('c'), './old.php'], [H('d'), './images/logo.png']]);
    const now = manifest([[H('e'), '/var/www/html/index.php'], [H('b'), '/var/www/html/index.html'], [H('d'), '/var/www/html/images/logo.png'], [H('f'), '/var/www/html/images/.cache/sh.php']]);
    const d = diffManifests(baseline, now);
    expect(d.counts).toEqual({ changed: 1, appeared: 1, disappeared: 1 });
    expect(d.unchanged).toBe(2);
    expect(d.changes.map((c) => [c.status, c.relPath, c.baselineHash?.[0] ?? null, c.currentHash?.[0] ?? null])).toEqual([
      ['changed', 'index.php', 'a', 'e'],
      ['appeared', 'images/.cache/sh.php', null, 'f'],
      ['disappeared', 'old.php', 'c', null],
    ]);
    expect(d.changes[0]?.eventIds).toEqual([baseline[0]?.eventId, now[0]?.eventId]);
  });

  it('different algorithms are not compared', () => {
    const d = diffManifests(manifest([[H('a'), 'x']]), manifest([['a'.repeat(64), 'x']], 'sha256'));
    expect(d).toMatchObject({ unchanged: 0, incomparable: 1, counts: { changed: 0, appeared: 0, disappeared: 0 } });
  });

  it('identical manifests: no change (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,3}(\/[a-z]{1,3}){0,2}$/u), { minLength: 1, maxLength: 20 }), (paths) => {
        const m = manifest(paths.map((p) => [H('0'), p] as const));
        const d = diffManifests(m, m);
        expect(d.changes).toEqual([]);
        expect(d.unchanged).toBe(paths.length);
      }),
      { numRuns: 200 },
    );
  });

  it('pairs the manifests of the same tree, baseline first', () => {
    const a = { evidenceId: 1, path: 'hashes/now/md5sums.txt', capturedMs: 2000, entries: 3, paths: ['./a', './b', './c'] };
    const b = { evidenceId: 2, path: 'hashes/baseline/md5sums.txt', capturedMs: 3000, entries: 3, paths: ['/srv/a', '/srv/b', '/srv/c'] };
    const c = { evidenceId: 3, path: 'md5sums.txt', capturedMs: 1000, entries: 1, paths: ['x/empty.txt'] };
    expect(pickPair([a, b, c])?.map((m) => m.evidenceId)).toEqual([2, 1]);
    expect(orderPair({ path: 'x', capturedMs: 5 }, { path: 'y', capturedMs: 4 }).map((m) => m.path)).toEqual(['y', 'x']);
    expect(pickPair([c])).toBeNull();
  });
});

describe('manifest vs bodyfile', () => {
  it('modified after the manifest, MD5 differs, missing', () => {
    const m = manifest([[H('a'), './index.php'], [H('b'), './cart.php'], [H('c'), './gone.php'], [H('d'), './same.php']]);
    const files = [
      { name: '/var/www/html/index.php', md5: null, size: 51, mtimeMs: 5000, ctimeMs: 5000, eventIds: [91] },
      { name: '/var/www/html/cart.php', md5: H('9'), size: 10, mtimeMs: 100, ctimeMs: 100, eventIds: [92] },
      { name: '/var/www/html/same.php', md5: null, size: 10, mtimeMs: 100, ctimeMs: 200, eventIds: [93] },
    ];
    const f = manifestVsBodyfile(m, 1000, files);
    expect(f.map((x) => [x.status, x.relPath, x.atMs])).toEqual([
      ['md5_differs', 'cart.php', 100],
      ['modified_after', 'index.php', 5000],
      ['missing_in_bodyfile', 'gone.php', null],
    ]);
    expect(manifestVsBodyfile(m, null, files).map((x) => x.status)).toEqual(['md5_differs', 'missing_in_bodyfile']);
  });
});

describe('bodyfile activity around a time', () => {
  it('keeps the window, counts MACB letters, buckets the histogram', () => {
    const at = 1_000_000;
    const rows = [
      { eventId: 1, ts: at - 3_600_001, macb: 'm...', name: '/too/early', mode: null, uid: null, size: null, evidencePath: 'b' },
      { eventId: 2, ts: at - 60_000, macb: 'm.c.', name: '/var/www/shop/index.php', mode: 'r/rrw-r--r--', uid: '33', size: 51, evidencePath: 'b' },
      { eventId: 3, ts: at + 1000, macb: '.a..', name: '/var/www/shop/index.php', mode: 'r/rrw-r--r--', uid: '33', size: 51, evidencePath: 'b' },
      { eventId: 4, ts: at + 3_600_000, macb: 'macb', name: '/too/late', mode: null, uid: null, size: null, evidencePath: 'b' },
    ];
    const a = summariseActivity(rows, at, 3_600_000, 4);
    expect(a.rows.map((r) => [r.eventId, r.offsetMs])).toEqual([[2, -60_000], [3, 1000]]);
    expect(a.counts).toEqual({ m: 1, a: 1, c: 1, b: 0, events: 2, files: 1 });
    expect(a.histogram.map((h) => h.m + h.a + h.c + h.b)).toEqual([0, 2, 1, 0]);
  });
});

describe('strace per PID, linked to the error log', () => {
  const row = (eventId: number, pid: number, kind: string, extra: Record<string, unknown>, ts: number | null = null): StraceRow => ({ eventId, pid, kind, extra, ts, evidenceId: 1, evidencePath: `strace/${pid}.log` });

  it('parses Apache child exits', () => {
    expect(parseChildExit('child pid 2880 exit signal Segmentation fault (11)')).toEqual({ pid: 2880, signal: 'Segmentation fault', signalNumber: 11, exitCode: null });
    expect(parseChildExit('AH00052: child pid 25 exit signal Segmentation fault (11), possible coredump in /tmp')).toMatchObject({ pid: 25, signal: 'Segmentation fault', signalNumber: 11 });
    expect(parseChildExit('child pid 7 exit status 255')).toEqual({ pid: 7, signal: null, signalNumber: null, exitCode: 255 });
    expect(parseChildExit('caught SIGTERM, shutting down')).toBeNull();
  });

  it('counts syscalls, failures, signals and kills; the end; links the error-log line of the same PID only', () => {
    const rows = [
      row(1, 2880, 'strace_syscall', { syscall: 'read', result: '12' }, 10),
      row(2, 2880, 'strace_syscall', { syscall: 'read', errno: 'EAGAIN' }, 11),
      row(3, 2880, 'strace_syscall', { syscall: 'accept4', unfinished: true }),
      row(4, 2880, 'strace_syscall', { syscall: 'accept4', resumed: true }),
      row(5, 2880, 'strace_signal', { signal: 'SIGSEGV' }),
      row(6, 2880, 'strace_syscall', { syscall: 'kill', kill_pid: 2880, kill_signal: 'SIGSEGV' }),
      row(7, 2880, 'strace_signal', { signal: 'SIGSEGV' }),
      row(8, 2880, 'strace_killed', { signal: 'SIGSEGV', core_dumped: false }, 20),
      row(9, 3000, 'strace_exit', { exit_code: 0 }),
    ];
    const errors = [
      { eventId: 50, ts: 21, message: 'child pid 2880 exit signal Segmentation fault (11)', evidencePath: 'error_log' },
      { eventId: 51, ts: 22, message: 'child pid 2908 exit signal Segmentation fault (11)', evidencePath: 'error_log' },
    ];
    const [a, b] = summariseStrace(rows, errors);
    expect(a).toMatchObject({
      pid: 2880, events: 8, syscalls: 4, failed: 1, first: 10, last: 20,
      topSyscalls: [{ name: 'read', count: 2 }, { name: 'accept4', count: 1 }, { name: 'kill', count: 1 }],
      signals: [{ signal: 'SIGSEGV', count: 2, firstEventId: 5 }],
      kills: [{ target: 2880, signal: 'SIGSEGV', eventId: 6 }],
      end: { kind: 'killed', text: 'killed by SIGSEGV', eventId: 8 },
      errorLog: [{ eventId: 50, signal: 'Segmentation fault' }],
    });
    expect(b).toMatchObject({ pid: 3000, end: { kind: 'exited', text: 'exited with 0' }, errorLog: [] });
  });
});
