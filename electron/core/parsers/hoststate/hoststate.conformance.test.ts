import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusDir, corpusFile } from '../../../testing/corpus';
import { openNetstat } from './netstat';
import { openPs, openTop } from './ps';
import { openServerStatus } from './server-status';
import { runDocument } from './testing';
import { detectFormat } from '../registry';

const present = corpusDir() !== null;
const read = (rel: string): string => readFileSync(corpusFile(rel), 'latin1');

describe.skipIf(!present)('mod_status corpus (values recorded in SOURCES.md §2.7)', () => {
  it('the Apache 2.2.9 HTML page: version, times, generation, uptime, totals, busy/idle, scoreboard, 150 workers', () => {
    const text = read('mod_status/data-apache-mod_status_server-status.html');
    expect(detectFormat('server-status.html', text.split('\n').slice(0, 200)).format).toBe('server_status');
    const run = runDocument(openServerStatus, text);
    const s = run.summary;
    if (s.kind !== 'server_status') throw new Error('kind');
    expect(s.variant).toBe('html');
    expect(s.serverVersion).toBe('Apache/2.2.9 (Debian) mod_ssl/2.2.9 OpenSSL/0.9.8g');
    expect(s.serverBuilt).toBe('Oct  1 2008 09:56:11');
    expect(s.currentTime).toBe('Tuesday, 11-Nov-2008 14:05:49 CET');
    expect(s.restartTime).toBe('Tuesday, 11-Nov-2008 08:45:45 CET');
    expect(s.generation).toBe(3);
    expect(s.uptimeSeconds).toBe(19204);
    expect(s.totalAccesses).toBe(522647);
    expect(s.totalTrafficBytes).toBe(29045555);
    expect(s.busyWorkers).toBe(3);
    expect(s.idleWorkers).toBe(49);
    expect(s.scoreboardCounts).toEqual({ _: 49, S: 2, R: 3, W: 1, K: 4, D: 5, C: 6, L: 7, G: 8, I: 9, '.': 930 });
    expect(s.workers).toBe(150);
    // capture time from the page, CET = +01:00
    expect(run.parser.capture.source).toBe('page');
    const t = run.parser.capture.time;
    expect(t?.kind === 'absolute' ? t.epochMs : null).toBe(Date.UTC(2008, 10, 11, 13, 5, 49));
    expect(t?.kind === 'absolute' ? t.offsetMinutes : null).toBe(60);
    const workers = run.events.filter((e) => e.kind === 'status_worker');
    expect(workers).toHaveLength(150);
    expect(workers.every((e) => e.srcIp === '127.0.0.1')).toBe(true);
    const w = workers.find((e) => e.extra['mode'] === 'W');
    expect(w?.pid).toBe(9229);
    expect(w?.extra['slot']).toBe('0-3');
    // every line is accounted for
    expect(run.results).toHaveLength(run.lines.length);
  });

  const autoDir = present ? corpusFile('mod_status/auto') : '';
  const autoFiles = present ? readdirSync(autoDir) : [];
  it.each(autoFiles)('?auto %s: every key: value line matches its field, scoreboard counted', (name) => {
    const text = read(`mod_status/auto/${name}`);
    const lines = text.split('\n');
    expect(detectFormat(name, lines.slice(0, 200)).format).toBe('server_status');
    const run = runDocument(openServerStatus, text);
    const s = run.summary;
    if (s.kind !== 'server_status') throw new Error('kind');
    expect(s.variant).toBe('auto');
    const kv = new Map<string, string>();
    for (const l of lines) {
      const m = /^([A-Za-z][A-Za-z0-9 ]*):\s?(.*)$/u.exec(l);
      if (m !== null && !kv.has(m[1] ?? '')) kv.set(m[1] ?? '', (m[2] ?? '').trim());
    }
    const num = (k: string): number | null => (kv.has(k) ? Number(kv.get(k)) : null);
    expect(s.totalAccesses).toBe(num('Total Accesses'));
    expect(s.busyWorkers).toBe(num('BusyWorkers'));
    expect(s.idleWorkers).toBe(num('IdleWorkers'));
    expect(s.uptimeSeconds).toBe(num('ServerUptimeSeconds') ?? num('Uptime'));
    expect(s.serverVersion).toBe(kv.get('ServerVersion') ?? null);
    const sb = kv.get('Scoreboard') ?? '';
    expect(s.scoreboard).toBe(sb);
    expect(s.scoreboardCounts['_'] ?? 0).toBe([...sb].filter((c) => c === '_').length);
    expect(s.totalTrafficBytes).toBe(num('Total kBytes') === null ? null : (num('Total kBytes') ?? 0) * 1024);
    if (kv.has('CurrentTime')) {
      expect(run.parser.capture.source).toBe('page');
    }
    // each key: value line is an event
    expect(run.events.length).toBe(lines.filter((l) => /^[A-Za-z][A-Za-z0-9 ]*:\s/u.test(l)).length + (s.host === null ? 0 : 1));
  });
});

type JcNet = { proto?: string; netid?: string; kind?: string; local_address?: string; local_port?: string; foreign_address?: string; foreign_port?: string; peer_address?: string; peer_port?: string; state?: string; pid?: number; program_name?: string; recv_q?: number; send_q?: number };

const NETSTAT = ['centos-7.7/netstat.out', 'centos-7.7/netstat-sudo-aeep.out', 'centos-7.7/netstat-sudo-lnp.out', 'fedora32/netstat.out', 'freebsd12/netstat-an.out',
  'generic/netstat-old.out', 'generic/netstat-no-state.out', 'ubuntu-18.04/netstat.out', 'ubuntu-18.04/netstat-sudo-aeep.out', 'ubuntu-18.04/netstat-sudo-lnp.out'];

describe.skipIf(!present)('jc netstat captures: values of jc expected parses', () => {
  it.each(NETSTAT)('%s', (rel) => {
    const text = read(`jc/${rel}`);
    expect(detectFormat(rel, text.split('\n').slice(0, 200)).format).toBe('netstat');
    const run = runDocument(openNetstat, text);
    const expected = (JSON.parse(read(`jc/${rel.replace(/\.out$/u, '.json')}`)) as JcNet[]);
    const inet = expected.filter((e) => e.kind === 'network');
    const ours = run.events.filter((e) => e.kind !== 'unix_socket');
    expect(ours).toHaveLength(inet.length);
    inet.forEach((e, i) => {
      const o = ours[i];
      expect({ proto: o?.extra['proto'], la: o?.extra['local_address'], lp: o?.extra['local_port'], fa: o?.extra['foreign_address'], fp: o?.extra['foreign_port'], rq: o?.extra['recv_q'], sq: o?.extra['send_q'] })
        .toEqual({ proto: e.proto, la: e.local_address, lp: e.local_port, fa: e.foreign_address, fp: e.foreign_port, rq: e.recv_q, sq: e.send_q });
      expect(o?.extra['state_raw'] ?? null).toBe(e.state ?? null);
      expect(o?.pid ?? null).toBe(e.pid ?? null);
      if (e.program_name !== undefined) expect(o?.program).toBe(e.program_name);
    });
    const unix = expected.filter((e) => e.kind === 'socket').length;
    const s = run.summary;
    if (s.kind !== 'netstat') throw new Error('kind');
    expect(s.unix).toBe(unix);
  });

  it('ubuntu-18.04/ss-sudo-tulpen.out', () => {
    const text = read('jc/ubuntu-18.04/ss-sudo-tulpen.out');
    expect(detectFormat('ss-sudo-tulpen.out', text.split('\n').slice(0, 200)).format).toBe('netstat');
    const run = runDocument(openNetstat, text);
    const expected = JSON.parse(read('jc/ubuntu-18.04/ss-sudo-tulpen.json')) as JcNet[];
    expect(run.events).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      const o = run.events[i];
      expect({ netid: o?.extra['proto'], state: o?.extra['state_raw'], la: o?.extra['local_address'], lp: o?.extra['local_port'], pa: o?.extra['foreign_address'], pp: o?.extra['foreign_port'] })
        .toEqual({ netid: e.netid, state: e.state, la: e.local_address, lp: e.local_port, pa: e.peer_address, pp: e.peer_port });
    });
  });
});

type JcPs = { uid?: string; user?: string; pid: number; ppid?: number; cmd?: string; command?: string };
describe.skipIf(!present)('jc ps captures', () => {
  it.each(['centos-7.7/ps-ef.out', 'centos-7.7/ps-axu.out', 'ubuntu-18.04/ps-ef.out', 'ubuntu-18.04/ps-axu.out'])('%s', (rel) => {
    const text = read(`jc/${rel}`);
    expect(detectFormat(rel, text.split('\n').slice(0, 200)).format).toBe('ps');
    const run = runDocument(openPs, text);
    const expected = JSON.parse(read(`jc/${rel.replace(/\.out$/u, '.json')}`)) as JcPs[];
    expect(run.events).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      const o = run.events[i];
      expect({ pid: o?.pid, user: o?.user, cmd: o?.message, ppid: o?.extra['ppid'] ?? undefined })
        .toEqual({ pid: e.pid, user: e.uid ?? e.user, cmd: e.cmd ?? e.command, ppid: e.ppid });
    });
  });
});

type JcTop = { time: string; users: number; load_1m: number; load_5m: number; load_15m: number; tasks_total: number; tasks_running: number; tasks_zombie: number; cpu_user: number; cpu_idle: number; processes: Array<{ pid: number; user: string; command: string }> };
describe.skipIf(!present)('jc top captures', () => {
  it.each(['centos-7.7/top-b-n3.out', 'centos-7.7/top-b-n1-gib.out', 'ubuntu-20.10/top-b-n1.out'])('%s', (rel) => {
    const text = read(`jc/${rel}`);
    expect(detectFormat(rel, text.split('\n').slice(0, 200)).format).toBe('top');
    const run = runDocument(openTop, text);
    const expected = JSON.parse(read(`jc/${rel.replace(/\.out$/u, '.json')}`)) as JcTop[];
    const s = run.summary;
    if (s.kind !== 'top') throw new Error('kind');
    expect(s.frameCount).toBe(expected.length);
    expected.forEach((e, i) => {
      const f = s.frames[i];
      expect({ time: f?.time, users: f?.users, load: f?.load, total: f?.tasks['total'], running: f?.tasks['running'], zombie: f?.tasks['zombie'], us: f?.cpu['us'], id: f?.cpu['id'], n: f?.processes })
        .toEqual({ time: e.time, users: e.users, load: [e.load_1m, e.load_5m, e.load_15m], total: e.tasks_total, running: e.tasks_running, zombie: e.tasks_zombie, us: e.cpu_user, id: e.cpu_idle, n: e.processes.length });
    });
    const procs = run.events.filter((ev) => ev.kind === 'process');
    const exp = expected.flatMap((e) => e.processes);
    expect(procs.map((p) => [p.pid, p.user, p.message])).toEqual(exp.map((p) => [p.pid, p.user, p.command]));
  });
});
