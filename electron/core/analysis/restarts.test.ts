import { describe, expect, it } from 'vitest';
import { parseErrorLine } from '../parsers/apache';
import { parseSyslogLine } from '../parsers/syslog/syslog-line';
import { correlateRestarts, extractAuthCommands, type AuthEventInput } from './auth-restarts';
import { counterGaps, estimateRestarts, noticeKindOf, parseRestartTime, type LifecycleNotice, type WorkerPiece } from './restarts';
import { makeSyntheticApacheCase } from './testing/synthetic-apache';
import { decodeUniqueId } from './unique-id';

const HOUR = 3_600_000;

/** What the service does in SQL: decode, then aggregate per slot, child and hour. */
function piecesOf(accessText: string): WorkerPiece[] {
  const m = new Map<string, { slot: number | null; child: string; pid: number | null; first: number; last: number; n: number; minCounter: number; maxCounter: number }>();
  for (const line of accessText.split('\n')) {
    const uid = line.slice(line.lastIndexOf(' ') + 1);
    const d = decodeUniqueId(uid);
    if (!d.ok) {
      continue;
    }
    const t = d.id.stamp * 1000;
    const k = `${d.id.thread}|${d.id.childKey}|${Math.floor(t / HOUR)}`;
    const p = m.get(k);
    if (p === undefined) {
      m.set(k, { slot: d.id.thread, child: d.id.childKey, pid: d.id.pid, first: t, last: t, n: 1, minCounter: d.id.counter, maxCounter: d.id.counter });
    } else {
      p.first = Math.min(p.first, t);
      p.last = Math.max(p.last, t);
      p.n++;
      p.minCounter = Math.min(p.minCounter, d.id.counter);
      p.maxCounter = Math.max(p.maxCounter, d.id.counter);
    }
  }
  return [...m.values()];
}

function noticesOf(errorText: string): LifecycleNotice[] {
  const out: LifecycleNotice[] = [];
  errorText.split('\n').forEach((line, i) => {
    const r = parseErrorLine(line);
    if (!r.ok || r.event.time === null) {
      return;
    }
    const k = noticeKindOf(r.event.kind);
    const tm = r.event.time;
    if (k === null || tm.kind !== 'local') {
      return;
    }
    const ts = Date.UTC(tm.year ?? 2010, tm.month - 1, tm.day, tm.hour, tm.minute, tm.second);
    const child = r.event.extra['child_pid'];
    out.push({ eventId: i + 1, ts, kind: k, pid: r.event.pid, childPid: typeof child === 'number' ? child : null, message: r.event.message });
  });
  return out;
}

function authOf(authText: string, year: number): AuthEventInput[] {
  const out: AuthEventInput[] = [];
  authText.split('\n').forEach((line, i) => {
    const r = parseSyslogLine(line);
    if (!r.ok || r.event.time === null || r.event.time.kind !== 'local') {
      return;
    }
    const e = r.event;
    const tm = r.event.time;
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    out.push({
      eventId: 10_000 + i, evidenceId: 9, ts: Date.UTC(year, tm.month - 1, tm.day, tm.hour, tm.minute, tm.second), kind: e.kind, user: e.user, srcIp: e.srcIp,
      command: str(e.extra['command']), tty: str(e.extra['tty']), runAs: str(e.extra['run_as']), apacheAction: str(e.extra['apache_action']),
    });
  });
  return out;
}

describe('restart estimation on a synthetic case (pure)', () => {
  const { files, truth } = makeSyntheticApacheCase();
  const access = files['var/log/apache2/access.log'] ?? '';
  const { estimates, tenures } = estimateRestarts(piecesOf(access), noticesOf(files['var/log/apache2/error.log'] ?? ''));

  it('finds every planted full restart with bounds containing the true time', () => {
    const full = estimates.filter((e) => e.kind === 'full');
    for (const r of truth.fullRestarts) {
      const hit = full.find((e) => e.start <= r.time && r.time <= e.end);
      expect(hit, `restart at ${new Date(r.time).toISOString()}`).toBeDefined();
      expect(hit?.slots.length).toBe(truth.slots);
      expect(hit?.source).toBe('both');
      expect(hit?.confidence).toBe('high');
    }
    expect(full).toHaveLength(truth.fullRestarts.length);
  });

  it('calls recycles and the crash slot changes, not restarts', () => {
    const slot = estimates.filter((e) => e.kind === 'slot');
    for (const rc of [...truth.recycles, { ...truth.crash, oldPid: truth.crash.pid }]) {
      const hit = slot.find((e) => e.start <= rc.time && rc.time <= e.end && e.oldPids.includes(rc.oldPid));
      expect(hit, `recycle at ${new Date(rc.time).toISOString()}`).toBeDefined();
      expect(hit?.slots).toEqual([rc.slot]);
    }
    const crash = slot.find((e) => e.oldPids.includes(truth.crash.pid));
    expect(crash?.cause).toBe('crash');
    expect(crash?.evidence.some((v) => v.kind === 'child_crash')).toBe(true);
  });

  it('counts requests served but not logged', () => {
    const gaps = counterGaps(tenures);
    const victim = truth.deletedLines[0];
    const g = gaps.filter((x) => x.pid === victim?.pid);
    expect(g.reduce((s, x) => s + x.missing, 0)).toBe(victim?.count);
    expect(gaps.filter((x) => x.pid !== victim?.pid).every((x) => x.missing === 0)).toBe(true);
  });

  it('matches every planted auth.log command and recovers the clock offset within 2 s', () => {
    const commands = extractAuthCommands(authOf(files['var/log/auth.log'] ?? '', 2010));
    const corr = correlateRestarts(estimates, commands);
    for (const r of truth.fullRestarts) {
      const est = estimates.find((e) => e.kind === 'full' && e.start <= r.time && r.time <= e.end);
      const m = corr.matches.find((x) => x.estimateId === est?.id);
      const cmd = commands.find((c) => c.eventId === m?.commandEventId);
      expect(cmd?.command).toBe(r.command);
      expect(cmd?.user).toBe(r.user);
      expect(cmd?.session?.from).toBe(r.user === 'alice' ? '192.0.2.7' : '192.0.2.99');
    }
    const noEffect = commands.find((c) => c.command === truth.noEffectCommand.command && Math.abs(c.ts + truth.authOffsetMs - truth.noEffectCommand.commandTime) < 2000);
    expect(noEffect).toBeDefined();
    expect(corr.commandMatch.get(noEffect?.eventId ?? -1)).toBeNull();
    const others = commands.filter((c) => c !== noEffect);
    expect(others.every((c) => corr.commandMatch.get(c.eventId) !== null)).toBe(true);
    expect(corr.offset).not.toBeNull();
    expect(Math.abs((corr.offset?.medianMs ?? 0) - truth.authOffsetMs)).toBeLessThanOrEqual(2000);
  });

  it('yields restarts from error-log notices alone', () => {
    const only = estimateRestarts([], noticesOf(files['var/log/apache2/error.log'] ?? '')).estimates;
    expect(only.filter((e) => e.kind === 'full')).toHaveLength(truth.fullRestarts.length);
    expect(only.every((e) => e.source === 'error_log')).toBe(true);
  });

  it('is total on empty and odd input', () => {
    expect(estimateRestarts([], []).estimates).toEqual([]);
    const one: WorkerPiece = { slot: null, child: 'x', pid: null, first: 5, last: 1, n: 1, minCounter: 0, maxCounter: 0 };
    expect(() => estimateRestarts([one, { ...one, child: 'y' }], [])).not.toThrow();
    expect(correlateRestarts([], []).offset).toBeNull();
  });
});

describe('server-status Restart Time', () => {
  it('reads the restart time and uses it as evidence', () => {
    expect(parseRestartTime('Restart Time: Tuesday, 19-Apr-2010 18:59:50 UTC')).toBe(Date.UTC(2010, 3, 19, 18, 59, 50));
    expect(parseRestartTime('<dt>Restart Time: Tuesday, 19-Apr-2010 20:59:50 +0200</dt>')).toBe(Date.UTC(2010, 3, 19, 18, 59, 50));
    expect(parseRestartTime('Restart Time: soon')).toBeNull();
    const { files } = makeSyntheticApacheCase();
    const { estimates } = estimateRestarts(piecesOf(files['var/log/apache2/access.log'] ?? ''), [], [{ eventId: 1, ts: 0, restartTime: Date.UTC(2010, 3, 19, 11, 13, 7) }]);
    const hit = estimates.find((e) => e.evidence.some((v) => v.kind === 'server_status'));
    expect(hit).toMatchObject({ kind: 'full', confidence: 'high' });
  });
});
