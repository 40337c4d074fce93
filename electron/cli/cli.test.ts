import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir, type TempDir } from '../db/testing/test-db';
import { caseInfoReport, runCli } from './cli';

describe('dossier CLI', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir();
    process.env['DOSSIER_USER_DATA'] = tmp.file('userdata');
  });
  afterEach(() => tmp.cleanup());

  it('creates a case and describes it with an intact audit chain', async () => {
    const path = tmp.file('c.dossier');
    expect(await runCli(['new', path, '--name', 'CLI case', '--examiner', 'Grace', '--tz', 'Europe/Zurich'])).toBe(0);
    const report = caseInfoReport(path);
    expect(report).toMatchObject({ name: 'CLI case', examiner: 'Grace', timeZone: 'Europe/Zurich', integrity: 'ok' });
    expect(report.audit).toMatchObject({ chainOk: true, brokenAt: null });
    expect(report.audit.length).toBeGreaterThanOrEqual(2);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('detects a tampered audit entry (chainOk false, brokenAt names the entry)', async () => {
    const path = tmp.file('t.dossier');
    expect(await runCli(['new', path, '--name', 'Tamper'])).toBe(0);
    const db = new Database(path);
    db.exec('DROP TRIGGER audit_append_only_update');
    db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 1").run();
    db.close();
    const report = caseInfoReport(path);
    expect(report.audit.chainOk).toBe(false);
    expect(report.audit.brokenAt).toBe(1);
    expect(report.audit.reason).toMatch(/altered/u);
    // The dropped trigger is reported too, and the case is not opened for writing.
    expect(report.schema).toEqual({ ok: false, difference: expect.stringMatching(/audit_append_only_update is missing/u) });
    expect(await runCli(['ingest', tmp.file('empty-folder-that-does-not-exist'), '--case', path])).not.toBe(0);
  });

  it('refuses to open a shared case that carries its own trigger (its SQL would run), and reports it in info', async () => {
    const path = tmp.file('spy.dossier');
    expect(await runCli(['new', path, '--name', 'Spy'])).toBe(0);
    const db = new Database(path);
    db.exec('CREATE TABLE loot (x TEXT); CREATE TRIGGER spy AFTER INSERT ON audit BEGIN INSERT INTO loot VALUES (new.details); END;');
    db.close();
    const { openCaseFile } = await import('../db/case-file');
    expect(() => openCaseFile(path)).toThrow(/altered outside Dossier: it holds a (table "loot"|trigger "spy")/u);
    expect(caseInfoReport(path).schema.ok).toBe(false);
  });

  it('refuses to rewrite the audit log through SQL (append-only triggers)', async () => {
    const path = tmp.file('a.dossier');
    expect(await runCli(['new', path, '--name', 'Append only'])).toBe(0);
    const db = new Database(path);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/u);
    expect(() => db.prepare("UPDATE audit SET actor = 'x'").run()).toThrow(/append-only/u);
    db.close();
  });

  it('rejects an unknown time zone and a non-case file with one clear line', async () => {
    expect(await runCli(['new', tmp.file('z.dossier'), '--name', 'Z', '--tz', 'Mars/Olympus'])).not.toBe(0);
    expect(existsSync(tmp.file('z.dossier'))).toBe(false);
    expect(await runCli(['info', '/etc/hostname', '--json'])).toBe(2);
  });

  it('prints the restarts of the sample case as JSON, one matched to its sudo command', async () => {
    const path = tmp.file('r.dossier');
    const sample = resolve(__dirname, '../../resources/sample-case');
    expect(await runCli(['ingest', sample, '--case', path, '--tz', 'Europe/Berlin', '--quiet'])).toBe(0);
    // `events` is a view (migration 0110): the case's counts still count its rows
    const counted = new Database(path, { readonly: true });
    const rows = (counted.prepare('SELECT count(*) AS n FROM event_rows').get() as { n: number }).n;
    counted.close();
    expect(rows).toBeGreaterThan(1000);
    expect(caseInfoReport(path).counts.events).toBe(rows);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await runCli(['restarts', path, '--json'])).toBe(0);
      const out = JSON.parse(String(log.mock.calls.at(-1)?.[0])) as Record<string, unknown> & {
        restarts: Array<Record<string, unknown> & { auth_match: Record<string, unknown> | null }>;
        auth_commands: Array<Record<string, unknown>>;
      };
      expect(Object.keys(out)).toEqual(['restarts', 'auth_commands', 'clock_offset_s']);
      expect(Object.keys(out.restarts[0] ?? {})).toEqual(['kind', 'start', 'end', 'slots', 'old_pids', 'new_pids', 'evidence', 'auth_match']);
      expect(out.restarts[0]?.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/u);
      const matched = out.restarts.filter((r) => r.auth_match !== null);
      expect(matched.length).toBeGreaterThanOrEqual(1);
      expect(Object.keys(matched[0]?.auth_match ?? {})).toEqual(['time', 'user', 'command', 'delta_s']);
      expect(matched[0]?.auth_match).toMatchObject({ user: 'admin', command: expect.stringContaining('/etc/init.d/apache2') as unknown });
      expect(out.auth_commands.every((c) => Object.keys(c).join() === 'time,user,command,matched')).toBe(true);
      expect(out.clock_offset_s).toMatchObject({ median: expect.any(Number) as unknown, spread: expect.any(Number) as unknown });
    } finally {
      log.mockRestore();
    }
  });

  it('runs as `npx dossier` from the repository root', () => {
    const out = execFileSync(process.execPath, ['bin/dossier.mjs', '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/Usage: dossier/u);
    expect(out).toMatch(/new \[options\] <file.dossier>/u);
    expect(out).toMatch(/info \[options\] <file.dossier>/u);
  });
});

describe('dossier findings', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir();
    process.env['DOSSIER_USER_DATA'] = tmp.file('userdata');
  });
  afterEach(() => tmp.cleanup());

  it('prints the findings of the sample case as JSON (ISO UTC times, IPs, users, sample events)', async () => {
    const path = tmp.file('s.dossier');
    const sample = new URL('../../resources/sample-case', import.meta.url).pathname;
    expect(await runCli(['ingest', sample, '--case', path, '--tz', 'UTC', '--quiet'])).toBe(0);
    const out: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    try {
      expect(await runCli(['findings', path, '--json'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const list = JSON.parse(out.join('\n')) as Array<Record<string, unknown>>;
    expect(list.length).toBeGreaterThan(0);
    for (const f of list) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['rule', 'category', 'severity', 'first', 'last', 'count', 'src_ips', 'users', 'sample_events']));
      expect(String(f['first'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/u);
      const samples = f['sample_events'] as Array<{ evidence: string; line: number }>;
      expect(samples.length).toBeGreaterThan(0);
      expect(samples[0]?.evidence).toMatch(/^var\/log\//u);
      expect(samples[0]?.line).toBeGreaterThan(0);
    }
    // Most severe first, and the sample case's segfault storm is there.
    const rank = ['critical', 'high', 'medium', 'low', 'info'];
    const order = list.map((f) => rank.indexOf(String(f['severity'])));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(list.some((f) => f['rule'] === 'crash.segfault_storm')).toBe(true);
  });
});
