import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectFormat, resolveFormat } from '../registry';
import { parseStraceLine, pidFromFileName } from './index';

const LINES = readFileSync(new URL('./fixtures/strace-variants.log', import.meta.url), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));

function ok(line: string, filePid: number | null = null) {
  const r = parseStraceLine(line, { filePid });
  if (!r.ok) {
    throw new Error(`${line}: ${r.reason}`);
  }
  return r.event;
}

describe('strace lines', () => {
  it('parses every fixture line', () => {
    for (const l of LINES) {
      expect(parseStraceLine(l).ok, l).toBe(true);
    }
  });

  it('seed 004: a per-PID file without times; the PID comes from the file name', () => {
    const e = ok('setsockopt(42, SOL_SOCKET, SO_RCVTIMEO, "\\2003\\341\\1\\0", 16) = 0', 2880);
    expect(e).toMatchObject({ kind: 'strace_syscall', pid: 2880, time: null, extra: { syscall: 'setsockopt', result: '0', pid_source: 'file_name' } });
    const s = ok('--- SIGSEGV (Segmentation fault) @ 0 (0) ---', 2880);
    expect(s).toMatchObject({ kind: 'strace_signal', severity: 'warn', extra: { signal: 'SIGSEGV', fault_addr: '0' } });
    expect(ok('kill(3204604, SIGSEGV)                  = 0').extra).toMatchObject({ syscall: 'kill', kill_pid: 3204604, kill_signal: 'SIGSEGV' });
    expect(ok('tgkill(2880, 2880, SIGABRT) = 0').extra).toMatchObject({ kill_pid: 2880, kill_signal: 'SIGABRT' });
    expect(ok('Process 3204604 detached')).toMatchObject({ kind: 'strace_detach', extra: { target_pid: 3204604 } });
  });

  it('-t, -tt and -ttt times; -r relative times are kept in extra, not as a time', () => {
    expect(ok('08:09:33 open("/x", O_RDONLY) = 3').time).toEqual({ kind: 'time_of_day', hour: 8, minute: 9, second: 33, millis: 0, text: '08:09:33' });
    const tt = ok('08:09:33.816206 access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory) <0.000019>');
    expect(tt.time).toMatchObject({ kind: 'time_of_day', hour: 8, second: 33, text: '08:09:33.816206' });
    expect(tt.time?.kind === 'time_of_day' ? tt.time.millis : 0).toBeCloseTo(816.206, 3);
    expect(tt.extra).toMatchObject({ errno: 'ENOENT', error_text: 'No such file or directory', result: '-1', duration_s: 0.000019, time_format: 'tt' });
    expect(tt.severity).toBe('info');
    const ttt = ok('10000 1697048351.000541 brk(NULL)                 = 0x55b1f2e94000 <0.000009>');
    expect(ttt.pid).toBe(10000);
    expect(ttt.time).toMatchObject({ kind: 'absolute', offsetMinutes: null, text: '1697048351.000541' });
    expect(ttt.time?.kind === 'absolute' ? ttt.time.epochMs : 0).toBeCloseTo(1697048351000.541, 2);
    const r = ok('     0.000123 write(1, "x", 1) = 1');
    expect(r.time).toBeNull();
    expect(r.extra['relative_s']).toBeCloseTo(0.000123, 9);
  });

  it('-f: [pid N] prefixes and bare PID columns win over the file name', () => {
    const e = ok('[pid  2880] 11:46:01.124100 +++ killed by SIGSEGV (core dumped) +++', 99);
    expect(e).toMatchObject({ kind: 'strace_killed', pid: 2880, severity: 'error', extra: { signal: 'SIGSEGV', core_dumped: true, pid_source: 'prefix' } });
    expect(ok('10002 1697048351.004200 +++ exited with 0 +++')).toMatchObject({ kind: 'strace_exit', pid: 10002, extra: { exit_code: 0 } });
    expect(ok('+++ exited with 3 +++', 7)).toMatchObject({ pid: 7, severity: 'notice', extra: { exit_code: 3 } });
    expect(ok('[pid  2880] 11:46:01.123999 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---').extra).toMatchObject({ signal: 'SIGSEGV', si_code: 'SEGV_MAPERR', fault_addr: 'NULL' });
  });

  it('<unfinished ...> and resumed calls', () => {
    expect(ok('10000 1697048351.004442 accept4(3,  <unfinished ...>').extra).toMatchObject({ syscall: 'accept4', unfinished: true });
    expect(ok('10003 1697048351.010612 <... accept4 resumed> {sa_family=AF_INET, sin_port=htons(51235)}, [16], SOCK_CLOEXEC) = 4 <0.006157>').extra).toMatchObject({
      syscall: 'accept4', resumed: true, result: '4', duration_s: 0.006157,
    });
  });

  it('quoted arguments never end the call: `) = ` and `<unfinished ...>` inside a string', () => {
    const e = ok('write(1, "f(x) = 3 <unfinished ...>\\n", 26) = 26');
    expect(e.extra).toMatchObject({ syscall: 'write', result: '26' });
    expect(e.extra['unfinished']).toBeUndefined();
    expect(ok('write(2, "<script>alert(1)</script>\\n", 26) = 26').message).toBe('write(2, "<script>alert(1)</script>\\n", 26) = 26');
  });

  it('refuses what is not strace, with a reason', () => {
    for (const l of ['', 'hello world', '{0x2b5951de9ca0, [ABRT], SA_RESTORER|SA_RESTART, 0x2b594e0ad4f0}, 8) = 0', 'open("/x"', '+++ something +++', '--- not a signal']) {
      const r = parseStraceLine(l);
      expect(r.ok, l).toBe(false);
    }
  });

  it('PID from file names', () => {
    expect(pidFromFileName('strace/2880.log')).toBe(2880);
    expect(pidFromFileName('trace.4001')).toBe(4001);
    expect(pidFromFileName('4001')).toBe(4001);
    expect(pidFromFileName('error.log')).toBeNull();
    expect(pidFromFileName('0.log')).toBeNull();
  });

  it('the registry detects strace by content and by name, and its per-file parser takes the PID from the name', () => {
    expect(detectFormat('debug/2880.log', LINES.slice(0, 6)).format).toBe('strace');
    expect(detectFormat('capture.txt', LINES).format).toBe('strace');
    const f = resolveFormat('strace');
    expect(f.ok && f.format.forFile !== undefined).toBe(true);
    if (f.ok && f.format.forFile !== undefined) {
      const r = f.format.forFile({ path: 'x/4001.log' })('--- SIGSEGV (Segmentation fault) @ 0 (0) ---');
      expect(r.ok && r.event.pid).toBe(4001);
    }
  });

  it('properties: never throws, keeps the body verbatim as the message, deterministic', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...LINES).chain((l) => fc.tuple(fc.nat(l.length), fc.string()).map(([i, s]) => l.slice(0, i) + s + l.slice(i)))), fc.option(fc.nat()), (line, pid) => {
        const r = parseStraceLine(line, { filePid: pid });
        expect(r).toEqual(parseStraceLine(line, { filePid: pid }));
        if (r.ok) {
          expect(line.includes(r.event.message)).toBe(true);
        } else {
          expect(r.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
