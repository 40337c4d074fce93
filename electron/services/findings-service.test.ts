/**
 * The detectors end to end on a synthetic case generated here and ingested through the real engine:
 * planted SSH brute force followed by a success, a traversal scan with one successful /etc/passwd
 * read, a segfault storm and a single-IP flood, inside background traffic.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCaseFile, createCaseFile, type OpenCase } from '../db/case-file';
import { findingsFor, listFindings, type StoredFinding } from '../db/queries/findings';
import { queryPage } from '../db/queries/timeline';
import { makeTempDir, type TempDir } from '../db/testing/test-db';
import { runIngest } from '../workers/ingest/ingest-engine';
import { ensureTimelineIndexes } from '../workers/ingest/post-ingest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DetectorParams } from '../../shared/domain/findings';
import { evidenceRanges } from '../db/queries/findings';
import { DETECTOR_STEPS, loadWebRules, runDetectors, scanAccess } from './findings-service';

const meta = { name: 'F', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number): string => String(n).padStart(2, '0');
const T = (h: number, m: number, s = 0): number => Date.UTC(2024, 2, 10, h, m, s);
const clf = (t: number): string => {
  const d = new Date(t);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
};
const syslogTime = (t: number): string => {
  const d = new Date(t);
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
};
const errTime = (t: number): string => {
  const d = new Date(t);
  return `${DAY[d.getUTCDay()]} ${MON[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
};

let seed = 7;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T,>(xs: ReadonlyArray<T>): T => xs[Math.floor(rnd() * xs.length)] as T;

const BRUTE = '203.0.113.5';
const SCAN = '203.0.113.66';
const FLOOD = '198.51.100.77';

function makeCase(root: string): void {
  const dir = join(root, 'var', 'log', 'apache2');
  mkdirSync(dir, { recursive: true });
  const access: Array<[number, string]> = [];
  const agents = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'];
  const pages = ['/', '/index.html', '/shop/item?id=12', '/search?q=red+shoes', '/css/site.css', '/js/app.js', '/images/logo.png', '/blog/2024/03/hello-world', '/login', '/favicon.ico', '/docs/v1.2/install'];
  // Background: 60 clients over 06:00-18:00, a few requests a minute in all.
  for (let i = 0; i < 4000; i += 1) {
    const t = T(6, 0) + Math.floor(rnd() * 12 * 3600_000);
    const ip = `192.0.2.${1 + Math.floor(rnd() * 60)}`;
    const page = pick(pages);
    const status = page === '/favicon.ico' ? 404 : pick([200, 200, 200, 304]);
    const method = page === '/login' && rnd() < 0.5 ? 'POST' : 'GET';
    access.push([t, `${ip} - - [${clf(t)}] "${method} ${page} HTTP/1.1" ${status} ${200 + Math.floor(rnd() * 9000)} "-" "${pick(agents)}"`]);
  }
  // Traversal scan 10:00-10:05, one successful read of /etc/passwd at 10:03.
  for (let i = 0; i < 40; i += 1) {
    const t = T(10, 0) + i * 7500;
    const target = i === 24 ? '/download.php?file=../../../../etc/passwd' : `/download.php?file=${'../'.repeat(1 + (i % 6))}etc/passwd`;
    access.push([t, `${SCAN} - - [${clf(t)}] "GET ${target} HTTP/1.1" ${i === 24 ? 200 : 404} ${i === 24 ? 1843 : 312} "-" "Mozilla/5.0"`]);
  }
  // Flood 11:00-11:03 from one address: 2,400 requests.
  for (let i = 0; i < 2400; i += 1) {
    const t = T(11, 0) + Math.floor(i * 75);
    access.push([t, `${FLOOD} - - [${clf(t)}] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"`]);
  }
  access.sort((a, b) => a[0] - b[0]);
  writeFileSync(join(dir, 'access.log'), `${access.map(([, l]) => l).join('\n')}\n`);

  const error: Array<[number, string]> = [];
  for (let h = 6; h < 18; h += 1) {
    error.push([T(h, 30), `[${errTime(T(h, 30))}] [error] [client 192.0.2.9] File does not exist: /var/www/html/favicon.ico`]);
  }
  // Segfault storm 12:00-12:10: 60 a minute.
  for (let i = 0; i < 600; i += 1) {
    const t = T(12, 0) + i * 1000;
    error.push([t, `[${errTime(t)}] [notice] child pid ${20000 + i} exit signal Segmentation fault (11)`]);
  }
  // Two isolated crashes in the background: no storm.
  error.push([T(8, 15), `[${errTime(T(8, 15))}] [notice] child pid 999 exit signal Segmentation fault (11)`]);
  error.sort((a, b) => a[0] - b[0]);
  writeFileSync(join(dir, 'error.log'), `${error.map(([, l]) => l).join('\n')}\n`);

  const auth: Array<[number, string]> = [];
  for (let i = 0; i < 20; i += 1) {
    const t = T(7, 0) + i * 1800_000;
    auth.push([t, `${syslogTime(t)} web sshd[${3000 + i}]: Accepted publickey for alice from 192.0.2.10 port ${40000 + i} ssh2: RSA SHA256:abc`]);
    auth.push([t + 60_000, `${syslogTime(t + 60_000)} web sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl status apache2`]);
  }
  // A user mistyping a password twice: no brute force.
  auth.push([T(8, 0), `${syslogTime(T(8, 0))} web sshd[4000]: Failed password for bob from 192.0.2.11 port 5000 ssh2`]);
  auth.push([T(8, 0, 5), `${syslogTime(T(8, 0, 5))} web sshd[4000]: Failed password for bob from 192.0.2.11 port 5000 ssh2`]);
  // Brute force 09:00-09:10 (50 failures), then a success at 09:12.
  for (let i = 0; i < 50; i += 1) {
    const t = T(9, 0) + i * 12_000;
    auth.push([t, `${syslogTime(t)} web sshd[${5000 + i}]: Failed password for root from ${BRUTE} port ${50000 + i} ssh2`]);
  }
  auth.push([T(9, 12), `${syslogTime(T(9, 12))} web sshd[5100]: Accepted password for root from ${BRUTE} port 50100 ssh2`]);
  auth.sort((a, b) => a[0] - b[0]);
  const authFile = join(root, 'var', 'log', 'auth.log');
  writeFileSync(authFile, `${auth.map(([, l]) => l).join('\n')}\n`);
  const mtime = new Date(T(23, 0));
  for (const f of [authFile, join(dir, 'access.log'), join(dir, 'error.log')]) {
    utimesSync(f, mtime, mtime);
  }
}

describe('detectors on a synthetic case', () => {
  let tmp: TempDir;
  let open: OpenCase;
  let findings: StoredFinding[];
  const byKey = (key: string): StoredFinding | undefined => findings.find((f) => f.key === key);

  beforeAll(async () => {
    tmp = makeTempDir();
    const root = join(tmp.dir, 'case');
    makeCase(root);
    open = createCaseFile({ ...meta, path: tmp.file('f.dossier') });
    await runIngest(open.db, { root, timeZone: 'UTC' });
    ensureTimelineIndexes(open.db);
    runDetectors(open.db);
    findings = listFindings(open.db);
  });
  afterAll(() => {
    closeCaseFile(open);
    tmp.cleanup();
  });

  it('finds the SSH brute force and the login that followed it (critical)', () => {
    const bf = byKey(`ssh.bruteforce|${BRUTE}`);
    expect(bf).toMatchObject({ severity: 'medium', srcIps: [BRUTE], first: T(9, 0), last: T(9, 0) + 49 * 12_000, count: 50 });
    const success = byKey(`ssh.bruteforce_success|${BRUTE}|root`);
    expect(success).toMatchObject({ severity: 'critical', category: 'brute_force', srcIps: [BRUTE], users: ['root'], first: T(9, 0), last: T(9, 12), count: 51 });
  });

  it('finds the traversal scan, critical because one read succeeded', () => {
    const f = byKey(`web.traversal|${SCAN}`);
    expect(f).toMatchObject({ severity: 'critical', srcIps: [SCAN], first: T(10, 0), last: T(10, 0) + 292_000, count: 40 });
    expect(f?.details['bySeverity']).toEqual({ critical: 1, low: 39 });
    expect(byKey(`web.sensitive_file|${SCAN}`)?.severity).toBe('critical');
  });

  it('finds the segfault storm with its time range, and not the isolated crash', () => {
    const storms = findings.filter((f) => f.rule === 'crash.segfault_storm');
    expect(storms).toHaveLength(1);
    expect(storms[0]).toMatchObject({ severity: 'high', count: 600, first: T(12, 0), last: T(12, 0) + 599_000 });
  });

  it('finds the single-IP flood', () => {
    const f = byKey(`availability.ip_flood|${FLOOD}`);
    expect(f).toMatchObject({ severity: 'high', srcIps: [FLOOD], first: T(11, 0), count: 2400 });
    expect(f?.last).toBe(T(11, 0) + 2399 * 75 - ((T(11, 0) + 2399 * 75) % 1000));
  });

  it('raises nothing high from the background traffic', () => {
    const planted = new Set([`ssh.bruteforce_success|${BRUTE}|root`, `web.traversal|${SCAN}`, `web.sensitive_file|${SCAN}`, `availability.ip_flood|${FLOOD}`]);
    const high = findings.filter((f) => (f.severity === 'high' || f.severity === 'critical') && !planted.has(f.key) && f.rule !== 'crash.segfault_storm');
    expect(high.map((f) => `${f.key} ${f.severity}`)).toEqual([]);
    expect(findings.some((f) => f.srcIps.some((ip) => ip.startsWith('192.0.2.')) && f.category !== 'account' && f.rule !== 'web.probe')).toBe(false);
  });

  it('lists findings per IP and per user, and the timeline filters by finding', () => {
    expect(findingsFor(open.db, { ip: BRUTE }).map((f) => f.rule).sort()).toEqual(['account.root_login', 'ssh.bruteforce', 'ssh.bruteforce_success']);
    expect(findingsFor(open.db, { user: 'root' }).some((f) => f.rule === 'ssh.bruteforce_success')).toBe(true);
    const f = byKey(`web.traversal|${SCAN}`);
    const page = queryPage(open.db, { findingId: f?.id ?? 0 }, { limit: 100 });
    expect(page.rows).toHaveLength(40);
    expect(page.rows.every((r) => r.srcIp === SCAN)).toBe(true);
  });

  it('re-runs with other parameters and keeps the reviews', () => {
    open.db.prepare("INSERT INTO finding_reviews (key, review, comment, actor, updated_utc) VALUES (?, 'confirmed', 'seen', 't', 'now')").run(`ssh.bruteforce|${BRUTE}`);
    runDetectors(open.db, { sshBruteForceFailures: 100, sshSuccessAfterFailures: 100 });
    const again = listFindings(open.db);
    expect(again.some((f) => f.rule === 'ssh.bruteforce_success')).toBe(false);
    runDetectors(open.db);
    expect(listFindings(open.db).find((f) => f.key === `ssh.bruteforce|${BRUTE}`)?.review).toBe('confirmed');
  });

  it('calls its between-steps hook at each step, in order, and finds the same with it', () => {
    const before = listFindings(open.db).map((f) => `${f.key} ${f.count}`);
    const steps: string[] = [];
    runDetectors(open.db, {}, loadWebRules(), () => new Date(), { between: (step) => steps.push(step) });
    expect(steps).toEqual([...DETECTOR_STEPS]);
    expect(listFindings(open.db).map((f) => `${f.key} ${f.count}`)).toEqual(before);
    // without the access scan's rates there is no step between the scan and its GROUP BYs
    const scanSteps: string[] = [];
    scanAccess(open.db, loadWebRules(), DetectorParams.parse({}), evidenceRanges(open.db, ['apache_access']), { rates: false, between: (step) => scanSteps.push(step) });
    expect(scanSteps).toEqual([]);
  });

  it('keeps nothing of an access scan once its findings are dropped (the SQL prefilter outlives the scan)', async () => {
    // A garbage collector at run time (vitest runs without --expose-gc).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const scan = (): WeakRef<number[]> => {
      const r = scanAccess(open.db, loadWebRules(), DetectorParams.parse({}), evidenceRanges(open.db, ['apache_access']));
      const traversal = r.drafts.find((d) => d.key === `web.traversal|${SCAN}`);
      expect(traversal?.eventIds).toHaveLength(40);
      // the same array as the scan's group held (webDrafts spreads the group's draft)
      return new WeakRef(traversal?.eventIds ?? []);
    };
    const ids = scan();
    // A WeakRef's target stays alive until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(ids.deref()).toBeUndefined();
  });
});

describe('web findings beyond the per-rule limit', () => {
  let tmp: TempDir;
  let open: OpenCase;
  const NIKTO = 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000001)';
  // Four scanning addresses: 5, 4, 3 and 2 requests, a minute apart from 10:00, 11:00, 12:00 and 13:00.
  const scanners: ReadonlyArray<readonly [string, number, number]> = [
    ['203.0.113.10', 5, 10],
    ['203.0.113.11', 4, 11],
    ['203.0.113.12', 3, 12],
    ['203.0.113.13', 2, 13],
  ];

  beforeAll(async () => {
    tmp = makeTempDir();
    const dir = join(tmp.dir, 'case', 'var', 'log', 'apache2');
    mkdirSync(dir, { recursive: true });
    const lines: string[] = [];
    for (const [ip, n, hour] of scanners) {
      for (let i = 0; i < n; i += 1) {
        lines.push(`${ip} - - [${clf(T(hour, i))}] "GET /test${i}.html HTTP/1.1" 200 512 "-" "${NIKTO}"`);
      }
    }
    lines.push(`192.0.2.1 - - [${clf(T(14, 0))}] "GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0"`);
    writeFileSync(join(dir, 'access.log'), `${lines.join('\n')}\n`);
    open = createCaseFile({ ...meta, path: tmp.file('w.dossier') });
    await runIngest(open.db, { root: join(tmp.dir, 'case'), timeZone: 'UTC' });
    ensureTimelineIndexes(open.db);
  });
  afterAll(() => {
    closeCaseFile(open);
    tmp.cleanup();
  });

  it('keeps one finding per address up to the limit and merges the rest into one per rule', () => {
    const { drafts, stats } = scanAccess(open.db, loadWebRules(), DetectorParams.parse({ webMaxFindingsPerRule: 2 }), evidenceRanges(open.db, ['apache_access']), { rates: false });
    expect(stats.hits).toBe(14);
    const ua = drafts.filter((d) => d.rule === 'web.scanner_ua');
    expect(ua.map((d) => d.key)).toEqual(['web.scanner_ua|203.0.113.10', 'web.scanner_ua|203.0.113.11', 'web.scanner_ua|others']);
    const [top, second, others] = ua;
    expect(top).toMatchObject({
      title: 'Attack tool or vulnerability scanner from 203.0.113.10',
      category: 'web_attack',
      severity: 'medium',
      srcIps: ['203.0.113.10'],
      users: [],
      first: T(10, 0),
      last: T(10, 4),
      details: { bySeverity: { medium: 5 } },
    });
    expect(top?.eventIds).toHaveLength(5);
    expect(top?.description).toMatch(/ 5 requests from 203\.0\.113\.10 \(5 medium\)\.$/u);
    expect((top?.details['evidence'] as string[]).length).toBe(5);
    expect(second).toMatchObject({ srcIps: ['203.0.113.11'], first: T(11, 0), last: T(11, 3) });
    expect(second?.eventIds).toHaveLength(4);
    expect(others).toMatchObject({
      title: 'Attack tool or vulnerability scanner from 2 more addresses',
      category: 'web_attack',
      severity: 'medium',
      srcIps: ['203.0.113.12', '203.0.113.13'],
      first: T(12, 0),
      last: T(13, 1),
      details: { bySeverity: { medium: 5 } },
    });
    expect(others?.description).toMatch(/ 5 requests from 2 addresses\.$/u);
    expect(others?.eventIds).toHaveLength(5);
    expect((others?.details['evidence'] as string[]).length).toBe(5);
    // every hit is in exactly one finding
    const all = ua.flatMap((d) => d.eventIds);
    expect(new Set(all).size).toBe(14);
  });
});
