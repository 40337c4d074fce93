/**
 * Queries of the pivot pages: one entity (an address or CIDR range, a user, a PID, a host) across
 * every evidence of the case. Every query starts from the entity's own index entries:
 *
 * - an address goes through `ips` (text, or the `ips_v4` range for IPv4 CIDRs) and then `events_src_ip`
 *   (src_ip, ts): counts and time buckets of one address never touch other rows;
 * - a user through `events_user` (user, ts), a partial index of the events that name a user;
 * - a PID or a host has no index of its own (a scan of the events: seconds at millions of lines).
 *
 * The query plans are asserted in pivot-service.test.ts.
 */
import ipaddr from 'ipaddr.js';
import { DossierError } from '../../../shared/api/errors';
import type { PivotEntity, PivotRelated, PivotSource, ValueCount } from '../../../shared/domain/pivot';
import { sql, type ReadableDb, type Sql } from '../connection/sql';
import { chooseBucket, ipCondition } from './timeline';

export type EntityCondition = Readonly<{
  /** A condition over `events e`. */
  where: Sql;
  display: string;
  /** For addresses: the ids in `ips` it covers (null when the entity is not an address). */
  ipIds: ReadonlyArray<number> | null;
  /** For a single IPv4/IPv6 address: its neighbourhood (/24 or /64) as a CIDR. */
  neighbourhood: string | null;
}>;

function stringId(db: ReadableDb, value: string): number | null {
  const r = db.prepare('SELECT id FROM strings WHERE value = ?').get(value) as { id: number } | undefined;
  return r?.id ?? null;
}

/** Up to this many addresses are listed by id (a wide range keeps a sub-select). */
const MAX_LISTED_IPS = 2000;

function neighbourhoodOf(text: string): { display: string; cidr: string | null } {
  if (text.includes('/')) {
    const [addr, bits] = ipaddr.parseCIDR(text);
    return { display: `${addr.toString()}/${bits}`, cidr: null };
  }
  if (!ipaddr.isValid(text)) {
    return { display: text, cidr: null };
  }
  const parsed = ipaddr.parse(text);
  const ip = parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
  if (ip.kind() === 'ipv4') {
    const o = (ip as ipaddr.IPv4).octets;
    return { display: ip.toString(), cidr: `${o[0] ?? 0}.${o[1] ?? 0}.${o[2] ?? 0}.0/24` };
  }
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return { display: ip.toString(), cidr: `${parts.join(':')}::/64` };
}

/** The entity as a condition over `events e` (values that name nothing match nothing). */
export function entityCondition(db: ReadableDb, entity: PivotEntity): EntityCondition {
  const value = entity.value.trim();
  switch (entity.kind) {
    case 'ip': {
      const cond = ipCondition(value); // throws bad_input on a malformed address or range
      const { display, cidr } = neighbourhoodOf(value);
      const ids = (db.prepare(`SELECT id FROM ips WHERE ${cond.text} LIMIT ${MAX_LISTED_IPS + 1}`).all(...cond.params) as Array<{ id: number }>).map((r) => r.id);
      if (ids.length > MAX_LISTED_IPS) {
        return { where: { text: `e.src_ip IN (SELECT id FROM ips WHERE ${cond.text})`, params: cond.params }, display, ipIds: null, neighbourhood: cidr };
      }
      return { where: idList('e.src_ip', ids), display, ipIds: ids, neighbourhood: cidr };
    }
    case 'user': {
      const id = stringId(db, entity.value);
      return { where: id === null ? sql`0` : sql`e.user = ${id}`, display: entity.value, ipIds: null, neighbourhood: null };
    }
    case 'host': {
      const id = stringId(db, value);
      return { where: id === null ? sql`0` : sql`e.host = ${id}`, display: value, ipIds: null, neighbourhood: null };
    }
    case 'pid': {
      if (!/^\d{1,10}$/u.test(value)) {
        throw new DossierError('bad_input', `"${value.slice(0, 40)}" is not a process id.`);
      }
      return { where: sql`e.pid = ${Number(value)}`, display: value, ipIds: null, neighbourhood: null };
    }
  }
}

function idList(column: string, ids: ReadonlyArray<number>): Sql {
  return ids.length === 0 ? sql`0` : { text: `${column} IN (${ids.map(() => '?').join(',')})`, params: [...ids] };
}

type EvidenceInfo = Readonly<{ id: number; relPath: string; sourceKind: string }>;

export function evidenceInfo(db: ReadableDb): Map<number, EvidenceInfo> {
  const rows = db.prepare('SELECT id, rel_path, source_kind FROM evidence').all() as Array<{ id: number; rel_path: string; source_kind: string }>;
  return new Map(rows.map((r) => [r.id, { id: r.id, relPath: r.rel_path, sourceKind: r.source_kind }]));
}

/** Evidence ids whose source kind names web requests (Apache's access log, and any other `*access*` kind). */
export function webEvidenceIds(evidence: ReadonlyMap<number, EvidenceInfo>): number[] {
  return [...evidence.values()].filter((e) => e.sourceKind === 'apache_access' || e.sourceKind.includes('access')).map((e) => e.id);
}

export type EntitySources = Readonly<{ sources: PivotSource[]; total: number; untimed: number; first: number | null; last: number | null }>;

/** Counts, first and last appearance per evidence, grouped by the evidence's source kind. */
export function entitySources(db: ReadableDb, cond: EntityCondition, evidence: ReadonlyMap<number, EvidenceInfo>): EntitySources {
  const rows = db
    .prepare(`SELECT e.evidence_id AS ev, count(*) AS n, min(e.ts) AS lo, max(e.ts) AS hi, sum(e.ts IS NULL) AS untimed FROM events e WHERE ${cond.where.text} GROUP BY e.evidence_id`)
    .all(...cond.where.params) as Array<{ ev: number; n: number; lo: number | null; hi: number | null; untimed: number }>;
  const byKind = new Map<string, PivotSource>();
  let total = 0;
  let untimed = 0;
  const min = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
  const max = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));
  for (const r of rows) {
    const info = evidence.get(r.ev);
    const kind = info?.sourceKind ?? 'unknown';
    const s = byKind.get(kind) ?? { sourceKind: kind, count: 0, first: null, last: null, evidence: [] };
    s.count += r.n;
    s.first = min(s.first, r.lo);
    s.last = max(s.last, r.hi);
    s.evidence.push({ evidenceId: r.ev, evidencePath: info?.relPath ?? `#${r.ev}`, count: r.n, first: r.lo, last: r.hi });
    byKind.set(kind, s);
    total += r.n;
    untimed += r.untimed;
  }
  const sources = [...byKind.values()].sort((a, b) => b.count - a.count || a.sourceKind.localeCompare(b.sourceKind));
  for (const s of sources) {
    s.evidence.sort((a, b) => b.count - a.count || a.evidencePath.localeCompare(b.evidencePath));
  }
  return {
    sources, total, untimed,
    first: sources.reduce<number | null>((a, s) => min(a, s.first), null),
    last: sources.reduce<number | null>((a, s) => max(a, s.last), null),
  };
}

type Field = 'user' | 'src_ip' | 'path' | 'status' | 'method' | 'kind' | 'host' | 'program' | 'command';

const FIELD_SQL: Readonly<Record<Field, { value: string; join: string; notNull: string }>> = {
  user: { value: 'x.value', join: 'JOIN strings x ON x.id = e.user', notNull: 'e.user IS NOT NULL' },
  src_ip: { value: 'x.text', join: 'JOIN ips x ON x.id = e.src_ip', notNull: 'e.src_ip IS NOT NULL' },
  kind: { value: 'x.value', join: 'JOIN strings x ON x.id = e.kind', notNull: '1' },
  host: { value: 'x.value', join: 'JOIN strings x ON x.id = e.host', notNull: 'e.host IS NOT NULL' },
  program: { value: 'x.value', join: 'JOIN strings x ON x.id = e.program', notNull: 'e.program IS NOT NULL' },
  method: { value: 'x.value', join: 'JOIN strings x ON x.id = e.method', notNull: 'e.method IS NOT NULL' },
  path: { value: 'e.path', join: '', notNull: 'e.path IS NOT NULL' },
  status: { value: 'CAST(e.status AS TEXT)', join: '', notNull: 'e.status IS NOT NULL' },
  command: { value: "json_extract(e.extra, '$.command')", join: '', notNull: "e.extra IS NOT NULL AND json_valid(e.extra) AND json_extract(e.extra, '$.command') IS NOT NULL" },
};

/** The most frequent values of a field among the entity's events (optionally of some kinds only). */
export function topValues(db: ReadableDb, cond: EntityCondition, field: Field, limit: number, kinds?: ReadonlyArray<string>, exclude?: string): ValueCount[] {
  const f = FIELD_SQL[field];
  const parts: Sql[] = [cond.where, { text: f.notNull, params: [] }];
  if (kinds !== undefined) {
    parts.push(idList('e.kind', kinds.map((k) => stringId(db, k)).filter((id): id is number => id !== null)));
  }
  const where = { text: parts.map((p) => `(${p.text})`).join(' AND '), params: parts.flatMap((p) => p.params) };
  const excludeSql = exclude === undefined ? '' : `HAVING value IS NOT ?`;
  const params = exclude === undefined ? [...where.params, limit] : [...where.params, exclude, limit];
  return db.prepare(`SELECT ${f.value} AS value, count(*) AS count FROM events e ${f.join} WHERE ${where.text} GROUP BY 1 ${excludeSql} ORDER BY 2 DESC, 1 LIMIT ?`).all(...params) as ValueCount[];
}

export function related(id: string, label: string, values: ValueCount[], pivotKind: PivotRelated['pivotKind'] = null, sampled = false): PivotRelated {
  return { id, label, pivotKind, values: values.map((v) => ({ value: String(v.value), count: v.count })), sampled };
}

/** Other addresses of a range (the /24 of an IPv4 address, the /64 of an IPv6 one) with their event counts. */
export function addressesIn(db: ReadableDb, cidr: string, excludeIds: ReadonlyArray<number>, limit: number): ValueCount[] {
  const cond = ipCondition(cidr);
  const ex = excludeIds.length === 0 ? sql`1` : { text: `id NOT IN (${excludeIds.map(() => '?').join(',')})`, params: [...excludeIds] };
  return db
    .prepare(
      `SELECT value, count FROM (SELECT ips.text AS value, (SELECT count(*) FROM events e WHERE e.src_ip = ips.id) AS count FROM ips WHERE ${cond.text} AND ${ex.text})
       WHERE count > 0 ORDER BY count DESC, value LIMIT ?`,
    )
    .all(...cond.params, ...ex.params, limit) as ValueCount[];
}

/** Users seen from the given addresses, other than `user`. */
export function usersFromAddresses(db: ReadableDb, ipTexts: ReadonlyArray<string>, user: string, limit: number): ValueCount[] {
  if (ipTexts.length === 0) {
    return [];
  }
  const ids = (db.prepare(`SELECT id FROM ips WHERE text IN (${ipTexts.map(() => '?').join(',')})`).all(...ipTexts) as Array<{ id: number }>).map((r) => r.id);
  const cond: EntityCondition = { where: idList('e.src_ip', ids), display: '', ipIds: ids, neighbourhood: null };
  return topValues(db, cond, 'user', limit, undefined, user);
}

export type EntityTimeline = Readonly<{
  from: number | null; to: number | null; bucketMs: number; bucketLabel: string; starts: number[];
  series: Array<{ key: string; counts: number[] }>; total: number;
}>;

/** Counts per time bucket, stacked by the evidence's source kind. */
export function entityTimeline(
  db: ReadableDb,
  cond: EntityCondition,
  evidence: ReadonlyMap<number, EvidenceInfo>,
  wanted: number,
  range: Readonly<{ from?: number; to?: number }>,
): EntityTimeline {
  let lo = range.from ?? null;
  let hi = range.to ?? null;
  if (lo === null || hi === null) {
    const r = db.prepare(`SELECT min(e.ts) AS lo, max(e.ts) AS hi FROM events e WHERE ${cond.where.text}`).get(...cond.where.params) as { lo: number | null; hi: number | null };
    lo ??= r.lo;
    hi ??= r.hi === null ? null : r.hi + 1;
  }
  if (lo === null || hi === null || hi <= lo) {
    return { from: lo, to: hi, bucketMs: 60_000, bucketLabel: '1 minute', starts: [], series: [], total: 0 };
  }
  const [bucketMs, bucketLabel] = chooseBucket(hi - lo, wanted);
  const start = Math.floor(lo / bucketMs) * bucketMs;
  const n = Math.max(1, Math.ceil((hi - start) / bucketMs));
  const starts = Array.from({ length: n }, (_, i) => start + i * bucketMs);
  const rows = db
    .prepare(`SELECT (e.ts - ?) / ? AS b, e.evidence_id AS ev, count(*) AS n FROM events e WHERE ${cond.where.text} AND e.ts >= ? AND e.ts < ? GROUP BY 1, 2`)
    .all(start, bucketMs, ...cond.where.params, lo, hi) as Array<{ b: number; ev: number; n: number }>;
  const series = new Map<string, number[]>();
  let total = 0;
  for (const r of rows) {
    const key = evidence.get(r.ev)?.sourceKind ?? 'unknown';
    const counts = series.get(key) ?? new Array<number>(n).fill(0);
    series.set(key, counts);
    const i = Math.floor(r.b);
    if (i >= 0 && i < n) {
      counts[i] = (counts[i] ?? 0) + r.n;
      total += r.n;
    }
  }
  return {
    from: lo, to: hi, bucketMs, bucketLabel, starts, total,
    series: [...series].map(([key, counts]) => ({ key, counts })).sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** Web requests (events of web evidence) from one address in [from, to): their count and the first ids. */
export function webActivity(db: ReadableDb, ip: string, webIds: ReadonlyArray<number>, from: number, to: number, limit: number): { count: number; ids: number[] } {
  const ipRow = db.prepare('SELECT id FROM ips WHERE text = ?').get(ip) as { id: number } | undefined;
  if (ipRow === undefined || webIds.length === 0) {
    return { count: 0, ids: [] };
  }
  const ev = idList('e.evidence_id', webIds);
  const count = (db.prepare(`SELECT count(*) AS n FROM events e WHERE e.src_ip = ? AND e.ts >= ? AND e.ts < ? AND ${ev.text}`).get(ipRow.id, from, to, ...ev.params) as { n: number }).n;
  const ids = limit === 0 ? [] : (db.prepare(`SELECT e.id FROM events e WHERE e.src_ip = ? AND e.ts >= ? AND e.ts < ? AND ${ev.text} ORDER BY e.ts, e.id LIMIT ?`).all(ipRow.id, from, to, ...ev.params, limit) as Array<{ id: number }>).map((r) => r.id);
  return { count, ids };
}

/** Where the evidence ids of the entity's web events are, for re-deriving fields from raw lines (latest first). */
export function webEventLines(db: ReadableDb, cond: EntityCondition, webIds: ReadonlyArray<number>, limit: number): Array<{ evidenceId: number; lineNo: number }> {
  if (webIds.length === 0) {
    return [];
  }
  const ev = idList('e.evidence_id', webIds);
  return db
    .prepare(`SELECT e.evidence_id AS evidenceId, e.line_no AS lineNo FROM events e WHERE ${cond.where.text} AND ${ev.text} ORDER BY e.ts DESC LIMIT ?`)
    .all(...cond.where.params, ...ev.params, limit) as Array<{ evidenceId: number; lineNo: number }>;
}

export type AuthEventRow = {
  id: number; ts: number | null; kind: string; host: string | null; program: string | null; pid: number | null; user: string | null;
  src_ip: string | null; src_port: number | null; extra: string | null;
};

/** Events of the given kinds outside the web logs (the auth.log lines sessions are rebuilt from). */
export function authEvents(db: ReadableDb, kinds: ReadonlyArray<string>, evidence: ReadonlyMap<number, EvidenceInfo>): AuthEventRow[] {
  const kindIds = kinds.map((k) => stringId(db, k)).filter((id): id is number => id !== null);
  const web = new Set(webEvidenceIds(evidence));
  const evIds = [...evidence.values()].filter((e) => !web.has(e.id) && e.sourceKind !== 'apache_error').map((e) => e.id);
  if (kindIds.length === 0 || evIds.length === 0) {
    return [];
  }
  const k = idList('e.kind', kindIds);
  const ev = idList('e.evidence_id', evIds);
  return db
    .prepare(
      `SELECT e.id, e.ts, sk.value AS kind, sh.value AS host, sp.value AS program, e.pid, su.value AS user, ip.text AS src_ip, e.src_port, e.extra
       FROM events e JOIN strings sk ON sk.id = e.kind LEFT JOIN strings sh ON sh.id = e.host LEFT JOIN strings sp ON sp.id = e.program
       LEFT JOIN strings su ON su.id = e.user LEFT JOIN ips ip ON ip.id = e.src_ip
       WHERE ${ev.text} AND ${k.text}`,
    )
    .all(...ev.params, ...k.params) as AuthEventRow[];
}

/** Texts of the addresses an address or range covers (for filtering sessions by IP). */
export function addressTexts(db: ReadableDb, spec: string): Set<string> {
  const cond = ipCondition(spec);
  return new Set((db.prepare(`SELECT text FROM ips WHERE ${cond.text}`).all(...cond.params) as Array<{ text: string }>).map((r) => r.text));
}
