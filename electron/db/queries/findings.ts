/**
 * SQL of the findings (issue 8): the streaming reads the detectors are fed with (only the columns
 * they need, by event-id range of each evidence, so SQLite walks the table in rowid order), and the
 * store of findings, their events, IPs, users and reviews.
 */
import type { AuthEvent, F2bEvent } from '../../core/detectors/auth-detectors';
import type { DetEvent, FindingDraft } from '../../core/detectors/types';
import type { Finding, FindingCategory, FindingEvent, FindingReview, FindingSeverity } from '../../../shared/domain/findings';
import type { ReadableDb, WritableDb } from '../connection/sql';

export type EvidenceRange = Readonly<{ id: number; sourceKind: string; first: number; last: number }>;

/** Evidence with events, by source kind (superseded and duplicate files are skipped). */
export function evidenceRanges(db: ReadableDb, kinds: ReadonlyArray<string>): EvidenceRange[] {
  if (kinds.length === 0) {
    return [];
  }
  return (
    db
      .prepare(
        `SELECT id, source_kind, first_event_id, last_event_id FROM evidence
         WHERE source_kind IN (${kinds.map(() => '?').join(',')}) AND first_event_id IS NOT NULL AND duplicate_of IS NULL
           AND id NOT IN (SELECT supersedes FROM evidence WHERE supersedes IS NOT NULL)
         ORDER BY id`,
      )
      .all(...kinds) as Array<{ id: number; source_kind: string; first_event_id: number; last_event_id: number }>
  ).map((r) => ({ id: r.id, sourceKind: r.source_kind, first: r.first_event_id, last: r.last_event_id }));
}

/** Id of an interned string, or null when the case never saw it. */
export function stringId(db: ReadableDb, value: string): number | null {
  const r = db.prepare('SELECT id FROM strings WHERE value = ?').get(value) as { id: number } | undefined;
  return r?.id ?? null;
}

/** A text by id through `sql` (one `?`), memoised: interned strings and addresses never change. */
function memoisedText(db: ReadableDb, sql: string): (id: number) => string | null {
  const stmt = db.prepare(sql).pluck();
  const memo = new Map<number, string | null>();
  return (id) => {
    let v = memo.get(id);
    if (v === undefined) {
      v = (stmt.get(id) as string | undefined) ?? null;
      memo.set(id, v);
    }
    return v;
  };
}

/** Value of an interned string id (memoised). */
export function stringValue(db: ReadableDb): (id: number) => string | null {
  return memoisedText(db, 'SELECT value FROM strings WHERE id = ?');
}

/** Text of an address id (memoised: the hits of a scan come from few addresses). */
export function ipLookup(db: ReadableDb): (id: number) => string | null {
  return memoisedText(db, 'SELECT text FROM ips WHERE id = ?');
}

/** The addresses of one IPv4 /24 (`net` = address / 256). */
export function ipsInNet(db: ReadableDb, net: number): Array<{ id: number; text: string }> {
  return db.prepare('SELECT id, text FROM ips WHERE v4 BETWEEN ? AND ?').all(net * 256, net * 256 + 255) as Array<{ id: number; text: string }>;
}

/** Access rows that may hit a web rule, as raw arrays: [id, message, status, ua, src_ip, ts]. */
export type AccessRow = [number, string, number | null, number | null, number | null, number | null];

/**
 * The candidate rows of one access evidence: those whose user agent is one of `uaIds` (agents that
 * hit a rule) or whose request line passes `candidate` (the rules' keyword prefilter, run inside
 * SQLite as a function, so the millions of other rows never cross into JavaScript as row objects).
 */
export function iterateAccessCandidates(db: ReadableDb, ev: EvidenceRange, uaIds: ReadonlyArray<number>, candidate: (message: string) => boolean): IterableIterator<AccessRow> {
  db.function('dossier_web_candidate', { deterministic: true }, (m: unknown) => (typeof m === 'string' && candidate(m) ? 1 : 0));
  const ua = uaIds.filter((n) => Number.isInteger(n));
  return db
    .prepare(
      `SELECT id, message, status, ua, src_ip, ts FROM events
       WHERE id BETWEEN ? AND ? AND +evidence_id = ? AND (${ua.length > 0 ? `ua IN (${ua.join(',')}) OR ` : ''}dossier_web_candidate(message))`,
    )
    .raw(true)
    .iterate(ev.first, ev.last, ev.id) as IterableIterator<AccessRow>;
}

/** Every interned string (small: kinds, hosts, users, methods, user agents). */
export function allStrings(db: ReadableDb): IterableIterator<{ id: number; value: string }> {
  return db.prepare('SELECT id, value FROM strings').iterate() as IterableIterator<{ id: number; value: string }>;
}

/**
 * Rows of the evidence ranges, read as rowid ranges: `+evidence_id` keeps the planner off the
 * (evidence_id, line_no) index, whose walk plus a table lookup per row costs about twice the scan.
 */
function rangeWhere(ranges: ReadonlyArray<EvidenceRange>, alias = ''): { text: string; params: number[] } {
  const a = alias === '' ? '' : `${alias}.`;
  return {
    text: `(${ranges.map(() => `(${a}id BETWEEN ? AND ? AND +${a}evidence_id = ?)`).join(' OR ') || '0'})`,
    params: ranges.flatMap((r) => [r.first, r.last, r.id]),
  };
}

/**
 * (address, minute) pairs with at least `min` requests. Grouped minute first (the rows come in about
 * time order, which the sorter behind GROUP BY takes in far faster), returned in (address, minute) order.
 */
export function busyIpMinutes(db: ReadableDb, ranges: ReadonlyArray<EvidenceRange>, min: number): Array<{ ipId: number; minute: number; n: number }> {
  const w = rangeWhere(ranges);
  return db
    .prepare(`SELECT src_ip AS ipId, ts / 60000 AS minute, count(*) AS n FROM events WHERE ${w.text} AND src_ip IS NOT NULL AND ts IS NOT NULL GROUP BY minute, src_ip HAVING n >= ? ORDER BY src_ip, minute`)
    .all(...w.params, min) as Array<{ ipId: number; minute: number; n: number }>;
}

/** (IPv4 /24, minute) pairs with at least `min` requests (`net` = address / 256). */
export function busyNetMinutes(db: ReadableDb, ranges: ReadonlyArray<EvidenceRange>, min: number): Array<{ net: number; minute: number; n: number }> {
  const w = rangeWhere(ranges, 'e');
  return db
    .prepare(
      `SELECT i.v4 / 256 AS net, e.ts / 60000 AS minute, count(*) AS n FROM events e JOIN ips i ON i.id = e.src_ip
       WHERE ${w.text} AND i.v4 IS NOT NULL AND e.ts IS NOT NULL GROUP BY minute, net HAVING n >= ? ORDER BY net, minute`,
    )
    .all(...w.params, min) as Array<{ net: number; minute: number; n: number }>;
}

/** (address, path, window) triples with at least `min` requests of `methodId` (POST bursts). */
export function busyPosts(db: ReadableDb, ranges: ReadonlyArray<EvidenceRange>, methodId: number, windowMs: number, min: number): Array<{ ipId: number; path: string; bucket: number; n: number }> {
  const w = rangeWhere(ranges);
  return db
    .prepare(
      `SELECT src_ip AS ipId, path, ts / ${Math.max(1, Math.floor(windowMs))} AS bucket, count(*) AS n FROM events
       WHERE ${w.text} AND method = ? AND src_ip IS NOT NULL AND ts IS NOT NULL AND path IS NOT NULL GROUP BY bucket, src_ip, path HAVING n >= ? ORDER BY src_ip, path, bucket`,
    )
    .all(...w.params, methodId, min) as Array<{ ipId: number; path: string; bucket: number; n: number }>;
}

/** True when the case stores user agents (ingested by a version with migration 0050). */
export function hasAnyUserAgent(db: ReadableDb, ranges: ReadonlyArray<EvidenceRange>): boolean {
  const stmt = db.prepare('SELECT 1 FROM events WHERE id BETWEEN ? AND ? AND ua IS NOT NULL LIMIT 1');
  return ranges.some((r) => stmt.get(r.first, Math.min(r.last, r.first + 5000)) !== undefined);
}

/** Error-log rows: [id, message, ts, ip text]. */
export type ErrorRow = [number, string, number | null, string | null];

export function iterateErrorRows(db: ReadableDb, ev: EvidenceRange): IterableIterator<ErrorRow> {
  return db
    .prepare('SELECT e.id, e.message, e.ts, ip.text FROM events e LEFT JOIN ips ip ON ip.id = e.src_ip WHERE e.id BETWEEN ? AND ? AND e.evidence_id = ?')
    .raw(true)
    .iterate(ev.first, ev.last, ev.id) as IterableIterator<ErrorRow>;
}

/** Time, address and user of a few events (the web hits). */
export function eventContext(db: ReadableDb): (id: number) => { ts: number | null; ip: string | null; user: string | null } {
  const stmt = db.prepare('SELECT e.ts, ip.text AS ip, su.value AS user FROM events e LEFT JOIN ips ip ON ip.id = e.src_ip LEFT JOIN strings su ON su.id = e.user WHERE e.id = ?');
  return (id) => (stmt.get(id) as { ts: number | null; ip: string | null; user: string | null } | undefined) ?? { ts: null, ip: null, user: null };
}

/**
 * Events of the given kinds in the given evidence, in time order, with an `extra` field pulled out, each
 * made by `make` once. The rows carry ids, not texts: kind, address and user come from small maps, so a
 * million auth events share a few thousand strings instead of holding three new ones each (the detectors'
 * peak on 1M auth lines, docs/PERFORMANCE.md session 9), and the JOINs go.
 */
function eventsOfKinds<T extends DetEvent>(
  db: ReadableDb,
  ranges: ReadonlyArray<EvidenceRange>,
  kinds: ReadonlyArray<string>,
  extraField: string | null,
  make: (e: DetEvent, x: string | null) => T,
): T[] {
  const kindOf = new Map<number, string>();
  for (const k of kinds) {
    const id = stringId(db, k);
    if (id !== null) {
      kindOf.set(id, k);
    }
  }
  if (kindOf.size === 0 || ranges.length === 0) {
    return [];
  }
  const ids = [...kindOf.keys()];
  const ipText = ipLookup(db);
  const userValue = stringValue(db);
  const extras = new Map<string, string>();
  const out: T[] = [];
  const stmt = db
    .prepare(
      `SELECT e.id, e.ts, e.kind, e.src_ip, e.user, ${extraField === null ? 'NULL' : `json_extract(e.extra, '$.${extraField}')`} AS x
       FROM events e WHERE e.id BETWEEN ? AND ? AND e.evidence_id = ? AND e.kind IN (${ids.map(() => '?').join(',')})`,
    )
    .raw(true);
  for (const ev of ranges) {
    for (const [id, ts, kind, ip, user, x] of stmt.iterate(ev.first, ev.last, ev.id, ...ids) as IterableIterator<[number, number | null, number, number | null, number | null, string | number | null]>) {
      let extra: string | null = null;
      if (x !== null) {
        // a handful of values (auth methods, jails): one string each, up to a bound
        const text = String(x);
        const known = extras.get(text);
        if (known === undefined && extras.size < 10_000) {
          extras.set(text, text);
        }
        extra = known ?? text;
      }
      out.push(make({ id, ts, kind: kindOf.get(kind) ?? '', ip: ip === null ? null : ipText(ip), user: user === null ? null : userValue(user) }, extra));
    }
  }
  return out.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.id - b.id);
}

export const AUTH_KINDS = [
  'ssh_failed', 'ssh_invalid_user', 'ssh_accepted', 'login_root', 'user_added', 'sudo_command', 'sudo_denied', 'sudo_failed', 'apache_dos_attempt',
] as const;

export function authEvents(db: ReadableDb, ranges: ReadonlyArray<EvidenceRange>): AuthEvent[] {
  return eventsOfKinds(db, ranges, AUTH_KINDS, 'method', (e, x) => ({ id: e.id, ts: e.ts, kind: e.kind, ip: e.ip, user: e.user, method: x }));
}

export function fail2banEvents(db: ReadableDb, ranges: ReadonlyArray<EvidenceRange>): F2bEvent[] {
  return eventsOfKinds(db, ranges, ['f2b_ban', 'f2b_unban', 'f2b_restore_ban'], 'jail', (e, x) => ({ id: e.id, ts: e.ts, kind: e.kind, ip: e.ip, user: e.user, jail: x }));
}

export function errorKindEvents(db: ReadableDb, ranges: ReadonlyArray<EvidenceRange>, kinds: ReadonlyArray<string>): DetEvent[] {
  return eventsOfKinds(db, ranges, kinds, null, (e) => e);
}

/** Events from an address within (from, to], outside the given evidence (fail2ban's own log). */
export function eventsFromIpBetween(db: ReadableDb, ip: string, from: number, to: number, excludeEvidence: ReadonlyArray<number>, limit = 5000): DetEvent[] {
  return db
    .prepare(
      `SELECT e.id, e.ts, '' AS kind, ? AS ip, NULL AS user FROM events e
       WHERE e.src_ip = (SELECT id FROM ips WHERE text = ?) AND e.ts > ? AND e.ts <= ?
         AND e.evidence_id NOT IN (${excludeEvidence.map(() => '?').join(',') || 'NULL'})
       ORDER BY e.ts LIMIT ?`,
    )
    .all(ip, ip, from, to, ...excludeEvidence, limit) as DetEvent[];
}

/** Requests from one address id in [from, to) of the given evidence (flood minutes), optionally only one method and path. */
export function requestsFrom(db: ReadableDb, ipId: number, from: number, to: number, evidenceIds: ReadonlyArray<number>, method?: number, path?: string): DetEvent[] {
  return db
    .prepare(
      `SELECT e.id, e.ts, '' AS kind, NULL AS ip, NULL AS user FROM events e
       WHERE e.src_ip = ? AND e.ts >= ? AND e.ts < ? AND e.evidence_id IN (${evidenceIds.map(() => '?').join(',') || 'NULL'})
       ${method === undefined ? '' : 'AND e.method = ?'} ${path === undefined ? '' : 'AND e.path = ?'}
       ORDER BY e.ts`,
    )
    .all(ipId, from, to, ...evidenceIds, ...(method === undefined ? [] : [method]), ...(path === undefined ? [] : [path])) as DetEvent[];
}

// ------------------------------------------------------------------------------------------ store

/**
 * The distinct ids of `ids` in ascending order, in one typed array: a web finding can hold hundreds of
 * thousands of event ids, where a Set of them cost about 30 bytes an id (18 MB for the largest finding at
 * 5M access lines) and an array 8; in order, the rows also go into finding_events' primary key in order.
 */
export function distinctSorted(ids: ReadonlyArray<number>): Float64Array {
  const a = Float64Array.from(ids).sort();
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (n === 0 || v !== a[n - 1]) {
      a[n++] = v;
    }
  }
  return a.subarray(0, n);
}

/** Replaces the findings with those of a new run, in one transaction; reviews stay (by key). */
export function storeFindings(db: WritableDb, drafts: ReadonlyArray<FindingDraft>, params: unknown, startedUtc: string, finishedUtc: string, summary: unknown): number {
  let runId = 0;
  db.transaction(() => {
    db.prepare('DELETE FROM finding_events').run();
    db.prepare('DELETE FROM finding_ips').run();
    db.prepare('DELETE FROM finding_users').run();
    db.prepare('DELETE FROM findings').run();
    runId = Number(
      db.prepare('INSERT INTO finding_runs (started_utc, finished_utc, params, summary) VALUES (?, ?, ?, ?)').run(startedUtc, finishedUtc, JSON.stringify(params), JSON.stringify(summary))
        .lastInsertRowid,
    );
    const insert = db.prepare(
      `INSERT INTO findings (run_id, key, rule, title, description, category, severity, first_ts, last_ts, count, src_ips, users, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ev = db.prepare('INSERT OR IGNORE INTO finding_events (finding_id, event_id) VALUES (?, ?)');
    const ipRow = db.prepare('INSERT OR IGNORE INTO finding_ips (ip, finding_id) VALUES (?, ?)');
    const userRow = db.prepare('INSERT OR IGNORE INTO finding_users (user, finding_id) VALUES (?, ?)');
    const seen = new Set<string>();
    for (const d of drafts) {
      if (seen.has(d.key)) {
        continue;
      }
      seen.add(d.key);
      const ids = distinctSorted(d.eventIds);
      const id = Number(
        insert.run(runId, d.key, d.rule, d.title, d.description, d.category, d.severity, d.first, d.last, ids.length, JSON.stringify(d.srcIps.slice(0, 1000)), JSON.stringify(d.users.slice(0, 1000)), JSON.stringify(d.details))
          .lastInsertRowid,
      );
      for (const e of ids) {
        ev.run(id, e);
      }
      for (const ip of d.srcIps) {
        ipRow.run(ip, id);
      }
      for (const u of d.users) {
        userRow.run(u, id);
      }
    }
  }).immediate();
  return runId;
}

type FindingRow = {
  id: number; key: string; rule: string; title: string; description: string; category: string; severity: string; first_ts: number | null; last_ts: number | null;
  count: number; src_ips: string; users: string; details: string; review: string | null; comment: string | null;
};

const SEV_ORDER = "CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END";
const FINDING_SELECT = `SELECT f.*, r.review, r.comment FROM findings f LEFT JOIN finding_reviews r ON r.key = f.key`;

export type StoredFinding = Finding & { key: string; details: Record<string, unknown> };

function toFinding(db: ReadableDb, r: FindingRow): StoredFinding {
  const sample = db.prepare('SELECT event_id FROM finding_events WHERE finding_id = ? ORDER BY event_id LIMIT 5').pluck().all(r.id) as number[];
  return {
    id: r.id, key: r.key, rule: r.rule, title: r.title, description: r.description, category: r.category as FindingCategory, severity: r.severity as FindingSeverity,
    first: r.first_ts, last: r.last_ts, count: r.count, srcIps: JSON.parse(r.src_ips) as string[], users: JSON.parse(r.users) as string[],
    review: (r.review ?? 'unreviewed') as FindingReview, reviewComment: r.comment ?? '', sampleEventIds: sample, details: JSON.parse(r.details) as Record<string, unknown>,
  };
}

export type FindingQuery = Readonly<{ categories?: ReadonlyArray<string>; severities?: ReadonlyArray<string>; reviews?: ReadonlyArray<string>; rule?: string }>;

export function listFindings(db: ReadableDb, q: FindingQuery = {}): StoredFinding[] {
  const where: string[] = [];
  const params: string[] = [];
  const inList = (col: string, values: ReadonlyArray<string> | undefined): void => {
    if (values !== undefined && values.length > 0) {
      where.push(`${col} IN (${values.map(() => '?').join(',')})`);
      params.push(...values);
    }
  };
  inList('f.category', q.categories);
  inList('f.severity', q.severities);
  inList("coalesce(r.review, 'unreviewed')", q.reviews);
  if (q.rule !== undefined) {
    where.push('f.rule = ?');
    params.push(q.rule);
  }
  const rows = db.prepare(`${FINDING_SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${SEV_ORDER}, f.category, f.count DESC, f.id`).all(...params) as FindingRow[];
  return rows.map((r) => toFinding(db, r));
}

export function getFinding(db: ReadableDb, id: number): StoredFinding | null {
  const r = db.prepare(`${FINDING_SELECT} WHERE f.id = ?`).get(id) as FindingRow | undefined;
  return r === undefined ? null : toFinding(db, r);
}

/**
 * Findings that name an IP or a user (for the pivot pages). With both, findings naming either.
 * Signature for other areas: `findingsFor(db, { ip?, user? }) → StoredFinding[]` (most severe first).
 */
export function findingsFor(db: ReadableDb, who: Readonly<{ ip?: string; user?: string }>): StoredFinding[] {
  const parts: string[] = [];
  const params: string[] = [];
  if (who.ip !== undefined) {
    parts.push('f.id IN (SELECT finding_id FROM finding_ips WHERE ip = ?)');
    params.push(who.ip);
  }
  if (who.user !== undefined) {
    parts.push('f.id IN (SELECT finding_id FROM finding_users WHERE user = ?)');
    params.push(who.user);
  }
  if (parts.length === 0) {
    return [];
  }
  const rows = db.prepare(`${FINDING_SELECT} WHERE ${parts.join(' OR ')} ORDER BY ${SEV_ORDER}, f.id`).all(...params) as FindingRow[];
  return rows.map((r) => toFinding(db, r));
}

/** One page of a finding's events (time order), with where each came from. */
export function findingEvents(db: ReadableDb, findingId: number, offset: number, limit: number): { total: number; events: FindingEvent[] } {
  const total = (db.prepare('SELECT count(*) FROM finding_events WHERE finding_id = ?').pluck().get(findingId) as number) ?? 0;
  const rows = db
    .prepare(
      `SELECT e.id, e.ts, v.rel_path AS evidencePath, e.line_no AS lineNo, ip.text AS srcIp, su.value AS user, e.message
       FROM finding_events fe CROSS JOIN events e ON e.id = fe.event_id JOIN evidence v ON v.id = e.evidence_id
       LEFT JOIN ips ip ON ip.id = e.src_ip LEFT JOIN strings su ON su.id = e.user
       WHERE fe.finding_id = ? ORDER BY e.ts IS NULL, e.ts, e.id LIMIT ? OFFSET ?`,
    )
    .all(findingId, limit, offset) as FindingEvent[];
  return { total, events: rows };
}

export function setReview(db: WritableDb, key: string, review: FindingReview, comment: string, actor: string, atUtc: string): void {
  db.prepare(
    `INSERT INTO finding_reviews (key, review, comment, actor, updated_utc) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET review = excluded.review, comment = excluded.comment, actor = excluded.actor, updated_utc = excluded.updated_utc`,
  ).run(key, review, comment, actor, atUtc);
}

export function lastRun(db: ReadableDb): { id: number; startedUtc: string; finishedUtc: string | null; params: unknown; summary: unknown } | null {
  const r = db.prepare('SELECT id, started_utc, finished_utc, params, summary FROM finding_runs ORDER BY id DESC LIMIT 1').get() as
    | { id: number; started_utc: string; finished_utc: string | null; params: string; summary: string | null }
    | undefined;
  return r === undefined ? null : { id: r.id, startedUtc: r.started_utc, finishedUtc: r.finished_utc, params: JSON.parse(r.params) as unknown, summary: r.summary === null ? null : (JSON.parse(r.summary) as unknown) };
}
