import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract';
import type { Finding } from '../../shared/domain/findings';
import type { AuthSessionDetail, PivotSummary, PivotTimeline, SessionList } from '../../shared/domain/pivot';
import { makeTempDir, type TempDir } from '../db/testing/test-db';
import { entityCondition } from '../db/queries/pivot';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { PivotService, type FindingsFor } from './pivot-service';
import { createBackend, type Backend } from './registry/create-handlers';
import { createDispatcher, type Dispatch } from './registry/dispatch';

const SAMPLE = resolve(__dirname, '../../resources/sample-case');

/** Calls through the dispatcher (input validated by the contract) and checks the output against the contract too. */
async function ok<T>(call: Dispatch, method: keyof typeof contract, input: unknown): Promise<T> {
  const r = await call(method, input);
  if (!r.ok) {
    throw new Error(`${method}: ${r.error.message}`);
  }
  contract[method].output.parse(r.value);
  return r.value as T;
}

function backendIn(tmp: TempDir): Backend {
  return createBackend({
    appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir, sampleEvidenceDir: SAMPLE,
    osUser: 'tester', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
  });
}

type Hist = { total: number };

describe('pivot on the sample case', () => {
  let tmp: TempDir;
  let backend: Backend;
  let call: Dispatch;
  beforeAll(async () => {
    tmp = makeTempDir();
    backend = backendIn(tmp);
    call = createDispatcher(backend.handlers);
    await ok(call, 'cases.openSample', {});
    await backend.ingest.status();
  });
  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('counts an address in every source, as the timeline filtered on it does', async () => {
    const ip = '203.0.113.45';
    const s = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'ip', value: ip });
    expect(s.sources.map((x) => x.sourceKind).sort()).toEqual(['apache_access', 'auth', 'fail2ban']);
    for (const src of s.sources) {
      const h = await ok<Hist>(call, 'timeline.histogram', { filter: { srcIps: [ip], sourceKinds: [src.sourceKind] }, buckets: 50 });
      expect(src.count).toBe(h.total);
      expect(src.evidence.reduce((n, e) => n + e.count, 0)).toBe(src.count);
    }
    expect(s.total).toBe(s.sources.reduce((n, x) => n + x.count, 0));
    const all = await ok<Hist>(call, 'timeline.histogram', { filter: { srcIps: [ip] }, buckets: 50 });
    expect(all.total).toBe(s.total);
    const first = await ok<{ rows: Array<{ ts: number }> }>(call, 'timeline.page', { filter: { srcIps: [ip] }, limit: 1 });
    const last = await ok<{ rows: Array<{ ts: number }> }>(call, 'timeline.page', { filter: { srcIps: [ip] }, before: { ts: 9e15, id: 9e15 }, limit: 1 });
    expect(s.first).toBe(first.rows[0]?.ts);
    expect(s.last).toBe(last.rows[0]?.ts);
  });

  it('lists what an address did and who else shares its network', async () => {
    const s = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'ip', value: '203.0.113.45' });
    const list = (id: string) => [...s.related, ...s.whoElse].find((r) => r.id === id)?.values.map((v) => v.value) ?? [];
    expect(list('logins')).toEqual(['admin']);
    expect(list('tried')).toEqual(expect.arrayContaining(['root', 'admin']));
    expect(list('paths')).toContain('/index.php');
    expect(list('statuses')).toContain('200');
    expect(list('agents')).toContain('python-requests/2.31.0');
    // 203.0.113.99 is only named inside URLs: no other address of the /24 logged anything
    expect(s.whoElse.find((r) => r.id === 'neighbours')).toMatchObject({ label: 'Other addresses in 203.0.113.0/24', values: [] });
    expect(list('users')).toContain('admin');
    // the sample case's detectors ran at ingest: the address's findings are listed, each about this address
    expect(s.findings.map((f) => f.rule)).toContain('ssh.bruteforce_success');
    for (const f of s.findings) expect(JSON.stringify(f)).toContain('203.0.113.45');
  });

  it('pivots on a CIDR range, a user, a PID and a host', async () => {
    const range = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'ip', value: '0.0.0.0/0' });
    const facet = await ok<{ values: Array<{ value: string; count: number }> }>(call, 'timeline.facet', { filter: { srcIps: ['0.0.0.0/0'] }, field: 'src_ip', limit: 50 });
    expect(range.whoElse[0]?.values.map((v) => [v.value, v.count]).sort()).toEqual(facet.values.map((v) => [v.value, v.count]).sort());
    const single = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'ip', value: '203.0.113.45' });
    expect(range.total).toBeGreaterThan(single.total);

    const user = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'user', value: 'admin' });
    const of = (id: string) => [...user.related, ...user.whoElse].find((r) => r.id === id)?.values.map((v) => v.value) ?? [];
    expect(of('addresses')).toEqual(expect.arrayContaining(['203.0.113.45', '192.0.2.50']));
    expect(of('commands')).toEqual(expect.arrayContaining(['/usr/sbin/useradd -m -s /bin/bash backup2', '/etc/init.d/apache2 restart']));
    const h = await ok<Hist>(call, 'timeline.histogram', { filter: { users: ['admin'] }, buckets: 50 });
    expect(user.total).toBe(h.total);

    const pid = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'pid', value: '7311' });
    expect(pid.sources.map((x) => x.sourceKind)).toEqual(['auth']);
    expect(pid.whoElse.find((r) => r.id === 'addresses')?.values.map((v) => v.value)).toEqual(['203.0.113.45']);

    const host = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'host', value: 'shop' });
    expect(host.sources.map((x) => x.sourceKind)).toEqual(expect.arrayContaining(['auth', 'syslog']));

    const nobody = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'user', value: 'nobody-here' });
    expect(nobody).toMatchObject({ total: 0, first: null, last: null, sources: [], related: [] });
  });

  it('refuses malformed entities with a readable error', async () => {
    expect(await call('pivot.entity', { kind: 'ip', value: '10.0.0.0/99' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await call('pivot.entity', { kind: 'pid', value: '12; DROP TABLE events' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await call('pivot.entity', { kind: 'mac', value: 'x' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await call('pivot.entity', { kind: 'ip', value: '' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await call('pivot.sessions', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('draws the mini-timeline stacked by source kind, with every timed event in a bucket', async () => {
    const s = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'ip', value: '203.0.113.45' });
    const t = await ok<PivotTimeline>(call, 'pivot.timeline', { entity: { kind: 'ip', value: '203.0.113.45' }, buckets: 60 });
    expect(t.total).toBe(s.total - s.untimed);
    expect(t.series.map((x) => x.key)).toEqual(s.sources.map((x) => x.sourceKind).sort());
    for (const x of t.series) {
      expect(x.counts.reduce((a, b) => a + b, 0)).toBe(s.sources.find((src) => src.sourceKind === x.key)?.count);
      expect(x.counts).toHaveLength(t.starts.length);
    }
    // a narrower range holds fewer
    const first = t.starts[0] ?? 0;
    const part = await ok<PivotTimeline>(call, 'pivot.timeline', { entity: { kind: 'ip', value: '203.0.113.45' }, buckets: 60, from: first, to: first + t.bucketMs });
    expect(part.total).toBe(t.series.reduce((n, x) => n + (x.counts[0] ?? 0), 0));
  });

  it('rebuilds the auth.log sessions: the brute-forced login, its sudo commands and the web activity around it', async () => {
    const all = await ok<SessionList>(call, 'pivot.sessions', {});
    expect(all.total).toBe(13); // 13 "Accepted" lines in the sample's auth.log
    const list = await ok<SessionList>(call, 'pivot.sessions', { ip: '203.0.113.45' });
    expect(list.sessions).toHaveLength(1);
    const s = list.sessions[0];
    expect(s).toMatchObject({ user: 'admin', srcIp: '203.0.113.45', srcPort: 51234, method: 'password', pid: 7311, commandCount: 2 });
    expect(s?.failuresBefore.count).toBeGreaterThan(200);
    expect(s?.failuresBefore.users.map((u) => u.value)).toContain('root');
    expect(s?.web.count).toBeGreaterThan(0);
    const byUser = await ok<SessionList>(call, 'pivot.sessions', { user: 'admin', ip: '192.0.2.0/24' });
    expect(byUser.total).toBe(12);
    expect(byUser.sessions.every((x) => x.method === 'publickey')).toBe(true);
    const none = await ok<SessionList>(call, 'pivot.sessions', { from: 0, to: 1 });
    expect(none.total).toBe(0);

    const d = await ok<AuthSessionDetail>(call, 'pivot.session', { id: s?.id, webLimit: 5 });
    expect(d.commands.map((c) => c.command)).toEqual(['/usr/sbin/useradd -m -s /bin/bash backup2', '/bin/cp /tmp/index.php /var/www/shop/index.php']);
    expect(d.webSample).toHaveLength(5);
    for (const r of d.webSample) {
      expect(r).toMatchObject({ srcIp: '203.0.113.45', sourceKind: 'apache_access' });
      expect(r.ts).toBeGreaterThanOrEqual(d.web.windowFrom ?? Infinity);
      expect(r.ts).toBeLessThan(d.web.windowTo ?? -Infinity);
    }
    // the window is the session ± windowMs: none of the web activity is within 1 minute of it
    const narrow = await ok<AuthSessionDetail>(call, 'pivot.session', { id: s?.id, windowMs: 60_000 });
    expect(narrow.web.count).toBe(0);
    expect(await call('pivot.session', { id: 1 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('drives its queries from the address and user indexes', () => {
    const db = backend.session.requireOpen().db;
    const plan = (text: string, params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    const ip = entityCondition(db, { kind: 'ip', value: '203.0.113.45' });
    expect(plan(`SELECT e.evidence_id, count(*) FROM events e WHERE ${ip.where.text} GROUP BY 1`, [...ip.where.params])).toMatch(/INDEX events_src_ip/u);
    const cidr = entityCondition(db, { kind: 'ip', value: '203.0.113.0/24' });
    expect(plan(`SELECT count(*) FROM events e WHERE ${cidr.where.text}`, [...cidr.where.params])).toMatch(/INDEX events_src_ip/u);
    const user = entityCondition(db, { kind: 'user', value: 'admin' });
    expect(plan(`SELECT e.evidence_id, count(*) FROM events e WHERE ${user.where.text} GROUP BY 1`, [...user.where.params])).toMatch(/INDEX events_user/u);
    // the one-pass facet query of the entity page has the same shape
    const facets = (c: typeof ip) =>
      `SELECT e.evidence_id, e.kind, e.host, e.program, e.user, e.src_ip, e.status, e.method, count(*), min(e.ts), max(e.ts) FROM events e WHERE ${c.where.text} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;
    expect(plan(facets(ip), [...ip.where.params])).toMatch(/INDEX events_src_ip/u);
    expect(plan(facets(user), [...user.where.params])).toMatch(/INDEX events_user/u);
  });

  it('shows the findings of the injected findings query for addresses and users only', () => {
    const seen: unknown[] = [];
    const finding: Finding = {
      id: 1, rule: 'ssh.bruteforce_success', title: 'Brute force then success', description: '', category: 'brute_force', severity: 'critical',
      first: 1, last: 2, count: 240, srcIps: ['203.0.113.45'], users: ['admin'], review: 'unreviewed', reviewComment: '', sampleEventIds: [],
    };
    const findingsFor: FindingsFor = (_db, q) => {
      seen.push(q);
      return q.ip === '203.0.113.45' || q.user === 'admin' ? [finding] : [];
    };
    const service = new PivotService(backend.session, findingsFor);
    expect(service.entity({ kind: 'ip', value: '203.0.113.45' }).findings).toEqual([finding]);
    expect(service.entity({ kind: 'user', value: 'admin' }).findings).toEqual([finding]);
    expect(service.entity({ kind: 'host', value: 'shop' }).findings).toEqual([]);
    expect(seen).toEqual([{ ip: '203.0.113.45' }, { user: 'admin' }]);
    const broken = new PivotService(backend.session, () => {
      throw new Error('no such table: findings');
    });
    expect(broken.entity({ kind: 'ip', value: '203.0.113.45' }).findings).toEqual([]);
  });
});

describe('pivot on a hostile case of our own', () => {
  let tmp: TempDir;
  let backend: Backend;
  let call: Dispatch;
  const evil = '<img src=x onerror=alert(1)>';
  beforeAll(async () => {
    tmp = makeTempDir();
    const folder = tmp.file('evidence');
    mkdirSync(resolve(folder, 'var/log/apache2'), { recursive: true });
    writeFileSync(
      resolve(folder, 'var/log/auth.log'),
      [
        `Mar 16 02:00:00 web sshd[100]: Failed password for invalid user ${evil} from 2001:db8::66 port 4000 ssh2`,
        `Mar 16 02:00:01 web sshd[100]: Failed password for root from 2001:db8::66 port 4000 ssh2`,
        `Mar 16 02:00:05 web sshd[101]: Accepted password for ${evil} from 2001:db8::66 port 4001 ssh2`,
        `Mar 16 02:00:05 web sshd[101]: pam_unix(sshd:session): session opened for user ${evil} by (uid=0)`,
        `Mar 16 02:01:00 web sudo: ${evil} : TTY=pts/0 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh -c 'echo "<script>x</script>" > /var/www/i.php'`,
        `Mar 16 02:02:00 web sshd[101]: pam_unix(sshd:session): session closed for user ${evil}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      resolve(folder, 'var/log/apache2/access.log'),
      [
        `2001:db8::66 - - [16/Mar/2024:02:00:30 +0000] "GET /i.php?c=id HTTP/1.1" 200 10 "-" "${evil}"`,
        `2001:db8::77 - - [16/Mar/2024:02:00:31 +0000] "GET / HTTP/1.1" 200 10 "-" "curl/8"`,
        `2001:db8::66 - - [16/Mar/2024:09:00:00 +0000] "GET /late HTTP/1.1" 404 10 "-" "curl/8"`,
        `192.0.2.10 - - [16/Mar/2024:09:00:00 +0000] "GET / HTTP/1.1" 200 10 "-" "curl/8"`,
        `192.0.2.11 - - [16/Mar/2024:09:00:01 +0000] "GET / HTTP/1.1" 200 10 "-" "curl/8"`,
        `192.0.2.11 - - [16/Mar/2024:09:00:02 +0000] "GET / HTTP/1.1" 200 10 "-" "curl/8"`,
        `192.0.3.12 - - [16/Mar/2024:09:00:02 +0000] "GET / HTTP/1.1" 200 10 "-" "curl/8"`,
        '',
      ].join('\n'),
    );
    backend = backendIn(tmp);
    call = createDispatcher(backend.handlers);
    await ok(call, 'cases.create', { path: tmp.file('hostile.dossier'), name: 'hostile', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '' });
    await backend.ingest.runAndWait(folder, 'UTC', {});
  });
  afterAll(async () => {
    await backend.dispose();
    tmp.cleanup();
  });

  it('keeps hostile names as data, and pivots on IPv6 with its /64', async () => {
    const s = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'ip', value: '2001:db8::66' });
    // the sudo line names no address; the PAM lines get it from their sshd process
    expect(s.sources.map((x) => [x.sourceKind, x.count]).sort()).toEqual([['apache_access', 2], ['auth', 5]]);
    const list = (id: string) => [...s.related, ...s.whoElse].find((r) => r.id === id)?.values.map((v) => v.value) ?? [];
    expect(list('logins')).toEqual([evil]);
    expect(list('agents')).toEqual(expect.arrayContaining([evil, 'curl/8']));
    expect(list('neighbours')).toEqual(['2001:db8::77']);
    const v4 = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'ip', value: '192.0.2.10' });
    expect(v4.whoElse.find((r) => r.id === 'neighbours')?.values).toEqual([{ value: '192.0.2.11', count: 2 }]);
    const u = await ok<PivotSummary>(call, 'pivot.entity', { kind: 'user', value: evil });
    expect(u.total).toBe(5);
    expect(u.related.find((r) => r.id === 'commands')?.values[0]?.value).toBe(`/bin/sh -c 'echo "<script>x</script>" > /var/www/i.php'`);
  });

  it('gives the session its command, its end and only the web requests inside the window', async () => {
    const list = await ok<SessionList>(call, 'pivot.sessions', { user: evil, windowMs: 3_600_000 });
    expect(list.sessions).toHaveLength(1);
    const s = list.sessions[0];
    expect(s).toMatchObject({ srcIp: '2001:db8::66', durationMs: 115_000, endKind: 'session_closed', commandCount: 1, failuresBefore: { count: 2, sameUser: 1 } });
    expect(s?.web.count).toBe(1);
    const d = await ok<AuthSessionDetail>(call, 'pivot.session', { id: s?.id, windowMs: 8 * 3_600_000 });
    expect(d.webSample.map((r) => r.path)).toEqual(['/i.php', '/late']);
    expect(d.eventIds).toHaveLength(3);
  });
});
