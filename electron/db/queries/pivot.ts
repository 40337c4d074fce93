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

export type FacetField = 'kind' | 'host' | 'program' | 'user' | 'src_ip' | 'status' | 'method' | 'command';

/** The entity's events counted once, grouped by every low-cardinality field at the same time. */
export type EntityFacets = Readonly<{
  sources: EntitySources;
  /** The most frequent values of a field (optionally among some kinds only, leaving one value out). */
  top: (field: FacetField, limit: number, kinds?: ReadonlyArray<string>, exclude?: string) => ValueCount[];
  /** Whether some of its events are HTTP requests (a method or a status). */
  hasHttp: boolean;
}>;

type FacetRow = [number, number, number | null, number | null, number | null, number | null, number | null, number | null, string | null, number, number | null, number | null, number];
const FACET_COLUMN: Readonly<Record<FacetField, number>> = { kind: 1, host: 2, program: 3, user: 4, src_ip: 5, status: 6, method: 7, command: 8 };

/**
 * One pass over the entity's events (through its index), grouped by evidence, kind, host, program,
 * user, address, status, method and sudo command: the per-source counts and every related list come
 * from these groups, instead of one pass per list (a user with 200,000 events: one pass, not eight).
 */
export function entityFacets(db: ReadableDb, cond: EntityCondition, evidence: ReadonlyMap<number, EvidenceInfo>, commandKinds: ReadonlyArray<string>): EntityFacets {
  const cmdIds = commandKinds.map((k) => stringId(db, k)).filter((id): id is number => id !== null);
  const cmd = idList('e.kind', cmdIds);
  const rows = db
    .prepare(
      `SELECT e.evidence_id, e.kind, e.host, e.program, e.user, e.src_ip, e.status, e.method,
         CASE WHEN ${cmd.text} AND json_valid(e.extra) THEN json_extract(e.extra, '$.command') END,
         count(*), min(e.ts), max(e.ts), sum(e.ts IS NULL)
       FROM events e WHERE ${cond.where.text} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    )
    .raw()
    .all(...cmd.params, ...cond.where.params) as FacetRow[];
  const str = internCache(db, 'strings');
  const ip = internCache(db, 'ips');
  // per evidence, then per source kind
  const perEvidence = new Map<number, { n: number; lo: number | null; hi: number | null; untimed: number }>();
  for (const r of rows) {
    const e = perEvidence.get(r[0]) ?? { n: 0, lo: null, hi: null, untimed: 0 };
    e.n += r[9];
    e.lo = min(e.lo, r[10]);
    e.hi = max(e.hi, r[11]);
    e.untimed += r[12];
    perEvidence.set(r[0], e);
  }
  const byKind = new Map<string, PivotSource>();
  let total = 0;
  let untimed = 0;
  for (const [ev, r] of perEvidence) {
    const info = evidence.get(ev);
    const kind = info?.sourceKind ?? 'unknown';
    const src = byKind.get(kind) ?? { sourceKind: kind, count: 0, first: null, last: null, evidence: [] };
    src.count += r.n;
    src.first = min(src.first, r.lo);
    src.last = max(src.last, r.hi);
    src.evidence.push({ evidenceId: ev, evidencePath: info?.relPath ?? `#${ev}`, count: r.n, first: r.lo, last: r.hi });
    byKind.set(kind, src);
    total += r.n;
    untimed += r.untimed;
  }
  const sources = [...byKind.values()].sort((a, b) => b.count - a.count || a.sourceKind.localeCompare(b.sourceKind));
  for (const src of sources) {
    src.evidence.sort((a, b) => b.count - a.count || a.evidencePath.localeCompare(b.evidencePath));
  }
  const valueOf = (field: FacetField, r: FacetRow): string | null => {
    const v = r[FACET_COLUMN[field]];
    if (v === null || v === undefined) {
      return null;
    }
    switch (field) {
      case 'status':
        return String(v);
      case 'command':
        return typeof v === 'string' ? v : String(v);
      case 'src_ip':
        return ip(v as number);
      default:
        return str(v as number);
    }
  };
  return {
    sources: {
      sources, total, untimed,
      first: sources.reduce<number | null>((a, x) => min(a, x.first), null),
      last: sources.reduce<number | null>((a, x) => max(a, x.last), null),
    },
    hasHttp: rows.some((r) => r[6] !== null || r[7] !== null),
    top: (field, limit, kinds, exclude) => {
      const kindIds = kinds === undefined ? null : new Set(kinds.map((k) => stringId(db, k)).filter((id): id is number => id !== null));
      const counts = new Map<string, number>();
      for (const r of rows) {
        if (kindIds !== null && !kindIds.has(r[1])) {
          continue;
        }
        const v = valueOf(field, r);
        if (v !== null && v !== exclude) {
          counts.set(v, (counts.get(v) ?? 0) + r[9]);
        }
      }
      return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).slice(0, limit);
    },
  };
}

function min(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function max(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
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

export type AuthEventQuery = Readonly<{
  /** Every kind to read. */
  kinds: ReadonlyArray<string>;
  /** Of those, kinds read only from these programs (e.g. PAM sessions of sshd and login, not cron's). */
  programKinds: ReadonlyArray<string>;
  isProgram: (program: string) => boolean;
  /** Kinds whose `extra` is read (NULL for the others: less to copy out of SQLite). */
  extraKinds: ReadonlyArray<string>;
  /** Kinds dropped when logged before authentication (`[preauth]`: no session can end there). */
  skipPreauthKinds: ReadonlyArray<string>;
}>;

/** Reads interned values by id, each id once. */
function internCache(db: ReadableDb, table: 'strings' | 'ips'): (id: number | null) => string | null {
  const stmt = db.prepare(table === 'strings' ? 'SELECT value AS v FROM strings WHERE id = ?' : 'SELECT text AS v FROM ips WHERE id = ?');
  const cache = new Map<number, string | null>();
  return (id) => {
    if (id === null) {
      return null;
    }
    let v = cache.get(id);
    if (v === undefined) {
      v = (stmt.get(id) as { v: string } | undefined)?.v ?? null;
      cache.set(id, v);
    }
    return v;
  };
}

/**
 * Events of the given kinds outside the web logs (the auth.log lines sessions are rebuilt from). The
 * filtering is done in SQL and the rows come out as plain arrays of ids (interned values are looked
 * up once each): at a million auth lines, building row objects with joined strings dominated.
 */
export function authEvents(db: ReadableDb, q: AuthEventQuery, evidence: ReadonlyMap<number, EvidenceInfo>): AuthEventRow[] {
  const ids = (kinds: ReadonlyArray<string>) => kinds.map((k) => stringId(db, k)).filter((id): id is number => id !== null);
  const web = new Set(webEvidenceIds(evidence));
  const evIds = [...evidence.values()].filter((e) => !web.has(e.id) && e.sourceKind !== 'apache_error').map((e) => e.id);
  const programKindIds = ids(q.programKinds);
  const plainKindIds = ids(q.kinds.filter((k) => !q.programKinds.includes(k)));
  if (programKindIds.length + plainKindIds.length === 0 || evIds.length === 0) {
    return [];
  }
  // program names are interned: the few that qualify, found among the candidates by name
  const programIds = (db.prepare("SELECT id, value FROM strings WHERE value LIKE '%ssh%' OR value LIKE '%dropbear%' OR value LIKE '%login%'").all() as Array<{ id: number; value: string }>)
    .filter((r) => q.isProgram(r.value))
    .map((r) => r.id);
  const kindCond = joinOr([idList('e.kind', plainKindIds), programKindIds.length === 0 || programIds.length === 0 ? sql`0` : { text: `(${idList('e.kind', programKindIds).text} AND ${idList('e.program', programIds).text})`, params: [...programKindIds, ...programIds] }]);
  const extra = idList('e.kind', ids(q.extraKinds));
  const ev = idList('e.evidence_id', evIds);
  const preauth = idList('e.kind', ids(q.skipPreauthKinds));
  const rows = db
    .prepare(
      `SELECT e.id, e.ts, e.kind, e.host, e.program, e.pid, e.user, e.src_ip, e.src_port, CASE WHEN ${extra.text} THEN e.extra END FROM events e
       WHERE ${ev.text} AND (${kindCond.text}) AND NOT (${preauth.text} AND e.extra IS NOT NULL AND instr(e.extra, '"preauth":true') > 0)`,
    )
    .raw()
    .all(...extra.params, ...ev.params, ...kindCond.params, ...preauth.params) as Array<[number, number | null, number, number | null, number | null, number | null, number | null, number | null, number | null, string | null]>;
  const str = internCache(db, 'strings');
  const ip = internCache(db, 'ips');
  return rows.map(([id, ts, kind, host, program, pid, user, srcIp, srcPort, extraText]) => ({
    id, ts, kind: str(kind) ?? '', host: str(host), program: str(program), pid, user: str(user), src_ip: ip(srcIp), src_port: srcPort, extra: extraText,
  }));
}

function joinOr(parts: ReadonlyArray<Sql>): Sql {
  return { text: parts.map((p) => `(${p.text})`).join(' OR '), params: parts.flatMap((p) => p.params) };
}

/** Texts of the addresses an address or range covers (for filtering sessions by IP). */
export function addressTexts(db: ReadableDb, spec: string): Set<string> {
  const cond = ipCondition(spec);
  return new Set((db.prepare(`SELECT text FROM ips WHERE ${cond.text}`).all(...cond.params) as Array<{ text: string }>).map((r) => r.text));
}
