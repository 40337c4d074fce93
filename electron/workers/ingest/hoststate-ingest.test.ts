import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventFlag } from '../../../shared/domain/event-flags';
import { closeCaseFile, createCaseFile, type OpenCase } from '../../db/case-file';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { exportPanel, listSnapshots, netstatView, processesView, serverStatusView } from '../../services/hoststate-service';
import { runIngest } from './ingest-engine';
import { rebuild } from './testing/rebuild';

const FIX = resolve(__dirname, '../../core/parsers/hoststate/fixtures');
const meta = { name: 'T', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };
const MTIME = Date.UTC(2024, 2, 16, 3, 0, 0);

describe('host-state captures through the ingest engine', () => {
  let tmp: TempDir;
  let open: OpenCase;
  let root: string;
  beforeEach(() => {
    tmp = makeTempDir();
    open = createCaseFile({ ...meta, path: tmp.file('h.dossier') });
    root = tmp.file('case');
    mkdirSync(join(root, 'live_response/network'), { recursive: true });
    mkdirSync(join(root, 'live_response/process'), { recursive: true });
    mkdirSync(join(root, 'etc/apache2'), { recursive: true });
    const put = (from: string, to: string): void => {
      copyFileSync(join(FIX, from), join(root, to));
      utimesSync(join(root, to), new Date(MTIME), new Date(MTIME));
    };
    put('server-status-2.4.html', 'server-status.html');
    put('ss-tanp.txt', 'live_response/network/ss-tanp.txt');
    put('ps-aux.txt', 'live_response/process/ps-aux.txt');
    put('top-b.txt', 'live_response/process/top.txt');
    writeFileSync(join(root, 'etc/apache2/apache2.conf'), 'ServerRoot "/etc/apache2"\n  Timeout 300\nKeepAlive On\n');
  });
  afterEach(() => {
    closeCaseFile(open);
    tmp.cleanup();
  });

  it('detects each capture, keeps every line (rebuilt byte for byte), dates the events at the capture time, records a snapshot', async () => {
    const summary = await runIngest(open.db, { root, timeZone: 'Europe/Berlin' });
    expect(summary.status).toBe('complete');
    const ev = open.db.prepare('SELECT id, rel_path, format, source_kind, lines, events, raw_only FROM evidence ORDER BY rel_path').all() as Array<{ id: number; rel_path: string; format: string; source_kind: string; lines: number; events: number; raw_only: number }>;
    const byPath = Object.fromEntries(ev.map((e) => [e.rel_path, e]));
    expect(byPath['server-status.html']?.format).toBe('server_status');
    expect(byPath['live_response/network/ss-tanp.txt']?.format).toBe('netstat');
    expect(byPath['live_response/process/ps-aux.txt']?.format).toBe('ps');
    expect(byPath['live_response/process/top.txt']?.format).toBe('top');
    for (const e of ev.filter((x) => x.format !== 'text')) {
      const bytes = readFileSync(join(root, e.rel_path));
      expect(rebuild(open, e.id).equals(bytes)).toBe(true);
      expect(e.events + e.raw_only).toBe(e.lines);
    }
    const status = byPath['server-status.html'];
    expect(status?.events).toBeGreaterThan(15);
    // all timed events of the page sit at its Current Time (CET in the page, absolute)
    const times = open.db.prepare('SELECT DISTINCT ts, flags & ? AS abs FROM events WHERE evidence_id = ? AND ts IS NOT NULL').all(EventFlag.TimeAbsolute, status?.id) as Array<{ ts: number; abs: number }>;
    expect(times).toEqual([{ ts: Date.UTC(2024, 2, 16, 2, 15, 0), abs: EventFlag.TimeAbsolute }]);

    const snaps = listSnapshots(open.db);
    expect(snaps.map((s) => [s.evidencePath, s.kind, s.timeSource])).toEqual([
      ['server-status.html', 'server_status', 'page'],
      ['live_response/network/ss-tanp.txt', 'netstat', 'file_mtime'],
      ['live_response/process/ps-aux.txt', 'ps', 'file_mtime'],
      // top: 04:15:02 wall clock in Europe/Berlin on the file's date = 03:15:02 UTC
      ['live_response/process/top.txt', 'top', 'page'],
    ]);
    expect(snaps.find((s) => s.kind === 'netstat')?.captureTs).toBe(MTIME);
    expect(snaps.find((s) => s.kind === 'top')?.captureTs).toBe(Date.UTC(2024, 2, 16, 3, 15, 2));

    // the server's Timeout from the config (300 s) is the default slow-read threshold
    const view = serverStatusView(open.db, { clientThreshold: 3 });
    expect(view.timeout).toEqual({ seconds: 300, source: 'Timeout in etc/apache2/apache2.conf' });
    expect(view.slowRead.map((w) => w.client)).toEqual(['203.0.113.15', '203.0.113.14', '203.0.113.13', '203.0.113.12', '203.0.113.11', '203.0.113.10', '198.51.100.23', '198.51.100.23', '198.51.100.23', '198.51.100.23', '198.51.100.23']);
    expect(view.byIp[0]).toEqual({ key: '198.51.100.23', count: 5, flagged: true });
    expect(view.byNetwork.find((n) => n.key === '203.0.113.0/24')).toEqual({ key: '203.0.113.0/24', count: 6, flagged: true, members: 6 });
    // clicking a worker opens its event
    const first = view.slowRead[0];
    const row = open.db.prepare('SELECT message FROM events WHERE id = ?').get(first?.eventId) as { message: string };
    expect(row.message).toContain('203.0.113.15');

    const net = netstatView(open.db, { threshold: 2 });
    expect(net.synRecv).toBe(3);
    expect(net.byRemoteIp[0]).toEqual({ key: '198.51.100.23', count: 3, flagged: true });
    expect(net.listeners).toHaveLength(3);

    const ps = processesView(open.db, { flaggedOnly: true });
    expect(ps.selected?.kind).toBe('top');
    const psAux = processesView(open.db, { evidenceId: byPath['live_response/process/ps-aux.txt']?.id, flaggedOnly: true });
    expect(psAux.processes.map((p) => [p.pid, p.flags])).toEqual([[7777, ['runs_from_tmp']], [7801, ['runs_from_tmp']], [7900, ['deleted_binary']]]);
    expect(ps.topFrames[0]?.load).toEqual([12.5, 9.75, 6.1]);

    // a panel for the report / a hypothesis: key, Markdown (log text escaped), the events behind it
    const panel = exportPanel(open.db, { panel: 'serverStatus', threshold: 3 });
    expect(panel.key).toBe(`hoststate.serverStatus:${status?.id}:300:3`);
    expect(panel.markdown).toContain('11 worker(s) in W/R above 300 s');
    expect(panel.markdown).toContain('203.0.113.0/24 (6 workers from 6 hosts)');
    expect(panel.eventIds).toEqual(view.slowRead.map((w) => w.eventId));
    expect(exportPanel(open.db, { panel: 'processes', evidenceId: byPath['live_response/process/ps-aux.txt']?.id, threshold: 0 }).markdown).toContain('/tmp/.x/kworkerd');
  });
});
