import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../registry';
import { openNetstat } from './netstat';
import { openPs, openTop } from './ps';
import { openServerStatus, parseStatusTime, parseTraffic, parseUptime } from './server-status';
import { runDocument } from './testing';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const MTIME = Date.UTC(2024, 2, 16, 5, 0, 0);

describe('server-status', () => {
  it('Apache 2.4 HTML with ExtendedStatus: header values, scoreboard, one event per worker row (3 lines each)', () => {
    const text = fixture('server-status-2.4.html');
    expect(detectFormat('status.html', text.split('\n')).format).toBe('server_status');
    const run = runDocument(openServerStatus, text, MTIME);
    const s = run.summary;
    if (s.kind !== 'server_status') throw new Error('kind');
    expect(s).toMatchObject({ variant: 'html', serverVersion: 'Apache/2.4.41 (Ubuntu) OpenSSL/1.1.1f', serverMpm: 'prefork', generation: 2, mpmGeneration: 1,
      uptimeSeconds: 86400 + 3 * 3600 + 14 * 60 + 48, totalAccesses: 18234, busyWorkers: 12, idleWorkers: 1, load: [3.12, 2.8, 1.95], workers: 15 });
    expect(s.scoreboard).toHaveLength(256);
    expect(s.scoreboardCounts).toMatchObject({ W: 11, R: 1, _: 1, K: 1 });
    expect(s.workerModes).toEqual({ W: 11, R: 1, _: 1, K: 1, '.': 1 });
    expect(run.parser.capture).toMatchObject({ source: 'page' });
    const t = run.parser.capture.time;
    expect(t?.kind === 'absolute' ? t.epochMs : null).toBe(Date.UTC(2024, 2, 16, 2, 15, 0));
    const workers = run.events.filter((e) => e.kind === 'status_worker');
    expect(workers).toHaveLength(15);
    const first = workers[0];
    expect(first).toMatchObject({ pid: 4100, srcIp: '203.0.113.10', http: { method: 'GET', path: '/catalog/big.pdf' } });
    expect(first?.extra).toMatchObject({ slot: '0-1', mode: 'W', ss: 900, dur: 900000, protocol: 'http/1.1', vhost: 'shop.example:80', request: 'GET /catalog/big.pdf HTTP/1.1' });
    // every event carries the capture time; every line has a result
    expect(run.events.every((e) => e.time === t)).toBe(true);
    expect(run.results).toHaveLength(run.lines.length);
    // the two lines before a row's closing line are raw, with a reason
    const closing = run.results.findIndex((r) => r.ok && r.event.kind === 'status_worker');
    expect(run.results[closing - 1]).toMatchObject({ ok: false });
    expect(run.results[closing - 2]).toMatchObject({ ok: false });
  });

  it('lynx -dump text gives the same workers and values', () => {
    const html = runDocument(openServerStatus, fixture('server-status-2.4.html'), MTIME);
    const text = fixture('server-status-lynx.txt');
    expect(detectFormat('Apache_restart_2024-03-16.txt', text.split('\n')).format).toBe('server_status');
    const lynx = runDocument(openServerStatus, text, MTIME);
    const s = lynx.summary;
    if (s.kind !== 'server_status') throw new Error('kind');
    expect(s.variant).toBe('lynx');
    const pick = (r: typeof html) => r.events.filter((e) => e.kind === 'status_worker').map((e) => [e.extra['slot'], e.pid, e.extra['mode'], e.extra['ss'], e.srcIp, e.extra['request']]);
    expect(pick(lynx)).toEqual(pick(html));
    const { variant: _a, ...rest } = s;
    const h = html.summary;
    if (h.kind !== 'server_status') throw new Error('kind');
    const { variant: _b, host: _c, ...restHtml } = h;
    expect({ ...rest, host: null }).toEqual({ ...restHtml, host: null });
  });

  it('IBM HTTP Server variant: unclosed cells, no CPU column, a Windows zone name read as wall clock', () => {
    const run = runDocument(openServerStatus, fixture('server-status-ihs.html'), MTIME);
    const s = run.summary;
    if (s.kind !== 'server_status') throw new Error('kind');
    expect(s.serverVersion).toBe('IBM_HTTP_Server/7.0.0.45 (Win32)');
    expect(s.totalTrafficBytes).toBe(Math.round(1.2 * 1024 ** 3));
    expect(s.scoreboardCounts).toMatchObject({ W: 2, R: 1 });
    const w = run.events.filter((e) => e.kind === 'status_worker');
    expect(w.map((e) => [e.srcIp, e.extra['ss'], e.extra['mode'], e.extra['cpu']])).toEqual([['10.20.30.40', 1890, 'W', null], ['10.20.30.41', 1702, 'W', null], ['10.20.31.9', 3, 'R', null]]);
    expect(run.parser.capture.time).toMatchObject({ kind: 'local', year: 2024, month: 2, day: 20, hour: 10, minute: 11 });
  });

  it('hostile page: never throws, markup stays text, bad numbers are null, unknown time falls back to the mtime', () => {
    const run = runDocument(openServerStatus, fixture('server-status-hostile.html'), MTIME);
    expect(run.results).toHaveLength(run.lines.length);
    expect(run.parser.capture.source).toBe('file_mtime');
    const w = run.events.filter((e) => e.kind === 'status_worker');
    expect(w[0]?.srcIp).toBeNull();
    expect(w[0]?.extra['vhost']).toBe('<b>x</b>');
    const s = run.summary;
    if (s.kind !== 'server_status') throw new Error('kind');
    expect(s.totalAccesses).toBeNull();
  });

  it('time, uptime and traffic helpers', () => {
    expect(parseStatusTime('Thursday, 12-May-2016 20:30:25 UTC')).toMatchObject({ kind: 'absolute', epochMs: Date.UTC(2016, 4, 12, 20, 30, 25) });
    expect(parseStatusTime('Wednesday, 30-Nov-2016 05:32:43 NZDT')).toMatchObject({ kind: 'absolute', epochMs: Date.UTC(2016, 10, 29, 16, 32, 43) });
    expect(parseStatusTime('Monday, 1-Jan-2024 10:00:00 XYZT')).toMatchObject({ kind: 'local', hour: 10 });
    expect(parseStatusTime('99-Foo-2024')).toBeNull();
    expect(parseUptime('11 days 21 hours 13 minutes 2 seconds')).toBe(1026782);
    expect(parseUptime('55 seconds')).toBe(55);
    expect(parseTraffic('27.7 MB')).toBe(29045555);
    expect(parseTraffic('52 kB')).toBe(53248);
  });

  it('never throws on arbitrary input (any variant)', () => {
    for (const head of ['<html><title>Apache Status</title><dt>Server Version: x</dt>', 'ServerVersion: x\nBusyWorkers: 1\nScoreboard: _\n', 'Server Version: x\nCurrent Time: y\n3 requests currently being processed, 1 idle workers']) {
      fc.assert(
        fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 30 }), (lines) => {
          const run = runDocument(openServerStatus, [head, ...lines].join('\n'));
          return run.results.length === run.lines.length;
        }),
        { numRuns: 150 },
      );
    }
  });
});

describe('netstat / ss', () => {
  it('ss -tanp: states normalised, remote IPs (IPv4-mapped unwrapped), processes', () => {
    const text = fixture('ss-tanp.txt');
    expect(detectFormat('ss-tanp.txt', text.split('\n')).format).toBe('netstat');
    const run = runDocument(openNetstat, text, MTIME);
    const s = run.summary;
    if (s.kind !== 'netstat') throw new Error('kind');
    expect(s).toMatchObject({ tool: 'ss', tcp: 10, listeners: 3, states: { LISTEN: 3, SYN_RECV: 3, ESTABLISHED: 3, TIME_WAIT: 1 } });
    const est = run.events.filter((e) => e.extra['state'] === 'ESTABLISHED');
    expect(est.map((e) => [e.srcIp, e.srcPort, e.pid, e.program])).toEqual([
      ['203.0.113.10', 51000, 4100, 'apache2'], ['203.0.113.11', 51001, 4101, 'apache2'], ['203.0.113.12', 52000, 4102, 'apache2'],
    ]);
    expect(run.parser.capture).toMatchObject({ source: 'file_mtime', time: { kind: 'absolute', epochMs: MTIME } });
  });

  it('never throws on arbitrary rows', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 200 }), { maxLength: 30 }), (lines) => {
        const run = runDocument(openNetstat, ['Proto Recv-Q Send-Q Local Address Foreign Address State', ...lines.map((l) => `tcp 0 0 ${l}`)].join('\n'));
        return run.results.length === run.lines.length;
      }),
      { numRuns: 200 },
    );
  });
});

describe('ps / top', () => {
  it('ps aux: processes from /tmp, /dev/shm and deleted binaries flagged; web-server children counted', () => {
    const text = fixture('ps-aux.txt');
    expect(detectFormat('ps-aux.txt', text.split('\n')).format).toBe('ps');
    const run = runDocument(openPs, text, MTIME);
    const s = run.summary;
    if (s.kind !== 'ps') throw new Error('kind');
    expect(s).toMatchObject({ style: 'aux', processes: 9, webProcesses: 4, webChildren: null, flagged: 3 });
    const flagged = run.events.filter((e) => e.severity === 'warn').map((e) => [e.pid, e.extra['flags']]);
    expect(flagged).toEqual([[7777, 'runs_from_tmp'], [7801, 'runs_from_tmp'], [7900, 'deleted_binary']]);
    expect(run.events.find((e) => e.pid === 8000)?.program).toBe('kworker/0:1-events');
  });

  it('ps -ef: web-server children are the web processes whose parent is one', () => {
    const text = ['UID          PID    PPID  C STIME TTY          TIME CMD', 'root 2300 1 0 03:40 ? 00:00:00 /usr/sbin/apache2 -k start',
      'www-data 4100 2300 0 03:40 ? 00:00:01 /usr/sbin/apache2 -k start', 'www-data 4101 2300 0 03:40 ? 00:00:01 /usr/sbin/apache2 -k start', 'root 5 1 0 03:40 ? 00:00:00 /usr/sbin/httpd'].join('\n');
    const s = runDocument(openPs, text).summary;
    expect(s).toMatchObject({ kind: 'ps', style: 'ef', webProcesses: 4, webChildren: 2 });
  });

  it('top -b: load, tasks, CPU; capture time = top clock on the file date', () => {
    const text = fixture('top-b.txt');
    expect(detectFormat('top.txt', text.split('\n')).format).toBe('top');
    const run = runDocument(openTop, text, MTIME);
    const s = run.summary;
    if (s.kind !== 'top') throw new Error('kind');
    expect(s.frames[0]).toMatchObject({ time: '04:15:02', users: 2, load: [12.5, 9.75, 6.1], tasks: { total: 212, running: 3, zombie: 0 }, cpu: { us: 71.3, sy: 20.1, id: 4.2, wa: 4 } });
    expect(s).toMatchObject({ processes: 4, webProcesses: 3 });
    expect(run.parser.capture.time).toMatchObject({ kind: 'local', year: 2024, month: 3, day: 16, hour: 4, minute: 15, second: 2 });
  });

  it('never throws on arbitrary rows', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 200 }), { maxLength: 30 }), (lines) => {
        const a = runDocument(openPs, ['USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND', ...lines].join('\n'));
        const b = runDocument(openTop, ['top - 10:00:00 up 1 day,  2 users,  load average: 1.00, 1.00, 1.00', '  PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND', ...lines].join('\n'));
        return a.results.length === a.lines.length && b.results.length === b.lines.length;
      }),
      { numRuns: 200 },
    );
  });
});

describe('capture time from a `date` line', () => {
  it('a collection script`s date line at the top dates a netstat or ps capture (source: page)', () => {
    const net = runDocument(openNetstat, ['Sat Mar 16 03:20:00 CET 2024', 'Proto Recv-Q Send-Q Local Address Foreign Address State', 'tcp 0 0 10.0.0.1:80 10.0.0.2:5000 ESTABLISHED'].join('\n'), MTIME);
    expect(net.parser.capture).toMatchObject({ source: 'page', time: { kind: 'absolute', epochMs: Date.UTC(2024, 2, 16, 2, 20, 0) } });
    expect(net.events.map((e) => e.kind)).toEqual(['capture_time', 'tcp_conn']);
    const ps = runDocument(openPs, ['2024-03-16T03:20:00+01:00', 'UID PID PPID C STIME TTY TIME CMD', 'root 1 0 0 Mar15 ? 00:00:03 /sbin/init'].join('\n'), MTIME);
    expect(ps.parser.capture.time).toMatchObject({ kind: 'absolute', epochMs: Date.UTC(2024, 2, 16, 2, 20, 0) });
    const local = runDocument(openPs, ['Sat Mar 16 03:20:00 2024', 'UID PID PPID C STIME TTY TIME CMD'].join('\n'), MTIME);
    expect(local.parser.capture.time).toMatchObject({ kind: 'local', hour: 3, minute: 20 });
  });
});
