import ipaddr from 'ipaddr.js';
import { DossierError } from '../../../shared/api/errors';
import { SEVERITIES } from '../../../shared/domain/parsed';
import type { Cursor, TimelineFilter, TimelineRow } from '../../../shared/domain/timeline';
import { utcToZonedWall } from '../../core/time/zoned';
import { joinSql, sql, type ReadableDb, type Sql } from '../connection/sql';
import { evidenceSetRows } from './evidence-rows';

/** Ids of interned strings (case-sensitive exact values). Unknown values match nothing. */
function stringIds(db: ReadableDb, values: ReadonlyArray<string>): number[] {
  const stmt = db.prepare('SELECT id FROM strings WHERE value = ?');
  return values.flatMap((v) => {
    const r = stmt.get(v) as { id: number } | undefined;
    return r === undefined ? [] : [r.id];
  });
}

function inList(column: string, ids: ReadonlyArray<number>): Sql {
  if (ids.length === 0) {
    return sql`0`;
  }
  return { text: `${column} IN (${ids.map(() => '?').join(',')})`, params: [...ids] };
}

/** `10.0.0.0/8`, `2001:db8::/32` or a single address → a condition on the `ips` table. */
export function ipCondition(spec: string): Sql {
  const text = spec.trim();
  try {
    if (text.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(text);
      if (addr.kind() === 'ipv4') {
        const o = (addr as ipaddr.IPv4).octets;
        const base = ((o[0] ?? 0) * 16777216 + (o[1] ?? 0) * 65536 + (o[2] ?? 0) * 256 + (o[3] ?? 0)) >>> 0;
        const size = 2 ** (32 - bits);
        const lo = Math.floor(base / size) * size;
        return sql`(v4 BETWEEN ${lo} AND ${lo + size - 1})`;
      }
      const bytes = (addr as ipaddr.IPv6).toByteArray();
      const lo = Buffer.from(bytes);
      const hi = Buffer.from(bytes);
      for (let bit = bits; bit < 128; bit += 1) {
        const byte = Math.floor(bit / 8);
        const mask = 0x80 >> (bit % 8);
        lo[byte] = (lo[byte] ?? 0) & ~mask;
        hi[byte] = (hi[byte] ?? 0) | mask;
      }
      return sql`(v6 BETWEEN ${lo} AND ${hi})`;
    }
    if (ipaddr.isValid(text)) {
      const parsed = ipaddr.parse(text);
      const normal = parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address().toString() : parsed.toString();
      return sql`(text = ${text} OR text = ${normal})`;
    }
  } catch {
    throw new DossierError('bad_input', `"${text}" is not an IP address or CIDR range.`);
  }
  // A host name written where an address was expected: match it as text.
  return sql`(text = ${text})`;
}

/** FTS5 reports a bad MATCH expression with these messages. */
export function isSearchSyntaxError(error: unknown): boolean {
  return /fts5|syntax error|unterminated string|no such column|unknown special query/iu.test(error instanceof Error ? error.message : String(error));
}

export type BuiltFilter = Readonly<{
  where: Sql;
  usesText: boolean;
  rollupOnly: boolean;
  /**
   * The time column as the query must name it: `+e.ts` when a rare full-text term should drive the
   * query (the unary plus keeps SQLite from walking the whole time index and probing the full-text
   * index row by row, which takes a minute at millions of events).
   */
  ts: string;
}>;

/**
 * The WHERE clause for a filter, over `events e`. `rollupOnly` is true when only time, evidence,
 * source kind and severity are constrained, which the per-minute rollup can answer.
 */
/**
 * A term is "common" when it matches more than this share of the events (and at least
 * COMMON_TERM_MIN of them): then a page probes the full-text index row by row in time order, and
 * finds its 200 rows after a few hundred probes. A rarer term drives the query from its matches.
 */
const COMMON_TERM_SHARE = 0.02;
const COMMON_TERM_MIN = 20_000;

/**
 * `in`: the matches as a set (right for counting, and for pages of rare terms); `auto` (pages): for
 * a common term, each row of the time-ordered scan is probed in the full-text index instead, so the
 * first page of a search for "GET" does not first collect millions of ids.
 */
export function buildFilter(db: ReadableDb, f: TimelineFilter, textMode: 'in' | 'auto' = 'in'): BuiltFilter {
  const parts: Sql[] = [];
  let rollupOnly = true;
  const query = f.text?.trim() ?? '';
  let common = false;
  if (query !== '') {
    try {
      const events = (db.prepare('SELECT coalesce(max(id), 0) AS n FROM events').get() as { n: number }).n;
      const threshold = Math.max(COMMON_TERM_MIN, Math.floor(events * COMMON_TERM_SHARE));
      const n = (db.prepare('SELECT count(*) AS n FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH ? LIMIT ?)').get(query, threshold + 1) as { n: number }).n;
      common = n > threshold;
    } catch (error) {
      if (isSearchSyntaxError(error)) {
        throw new DossierError('bad_input', `The search "${query}" is not valid: use words, "phrases", prefix*, AND, OR, NOT and parentheses.`);
      }
      throw error;
    }
  }
  // The evidence files asked for (by id and by source kind: both must hold). Few events: their id
  // ranges drive the query and the time index is kept out of it (`+e.ts`), see evidenceSetRows.
  let evidenceIds: number[] | null = null;
  if (f.evidenceIds !== undefined && f.evidenceIds.length > 0) {
    evidenceIds = [...f.evidenceIds];
  }
  if (f.sourceKinds !== undefined && f.sourceKinds.length > 0) {
    const ofKinds = (db.prepare(`SELECT id FROM evidence WHERE source_kind IN (${f.sourceKinds.map(() => '?').join(',')})`).all(...f.sourceKinds) as Array<{ id: number }>).map((r) => r.id);
    evidenceIds = evidenceIds === null ? ofKinds : evidenceIds.filter((id) => ofKinds.includes(id));
  }
  const evidence = evidenceIds === null ? null : evidenceSetRows(db, evidenceIds);
  const ts = (query !== '' && !common) || evidence?.small === true ? '+e.ts' : 'e.ts';
  if (f.includeUntimed !== true) {
    parts.push({ text: `${ts} IS NOT NULL`, params: [] });
  }
  if (f.from !== undefined) {
    parts.push({ text: `${ts} >= ?`, params: [f.from] });
  }
  if (f.to !== undefined) {
    parts.push({ text: `${ts} < ?`, params: [f.to] });
  }
  if (evidence !== null) {
    parts.push(evidence.where);
  }
  if (f.severities !== undefined && f.severities.length > 0) {
    parts.push(inList('e.sev', f.severities.map((s) => SEVERITIES.indexOf(s))));
  }
  const interned: Array<[keyof TimelineFilter, string]> = [
    ['hosts', 'e.host'],
    ['programs', 'e.program'],
    ['kinds', 'e.kind'],
    ['users', 'e.user'],
    ['methods', 'e.method'],
  ];
  for (const [key, column] of interned) {
    const values = f[key] as string[] | undefined;
    if (values !== undefined && values.length > 0) {
      rollupOnly = false;
      parts.push(inList(column, stringIds(db, values)));
    }
  }
  if (f.srcIps !== undefined && f.srcIps.length > 0) {
    rollupOnly = false;
    const conds = joinSql(f.srcIps.map(ipCondition), ' OR ');
    parts.push({ text: `e.src_ip IN (SELECT id FROM ips WHERE ${conds.text})`, params: conds.params });
  }
  if (f.statuses !== undefined && f.statuses.length > 0) {
    rollupOnly = false;
    const ors = f.statuses.map((s) => {
      if (typeof s === 'number') {
        return sql`e.status = ${s}`;
      }
      const base = Number(s.charAt(0)) * 100;
      return sql`(e.status BETWEEN ${base} AND ${base + 99})`;
    });
    const j = joinSql(ors, ' OR ');
    // A filter that cannot match 200 says so in the SQL's own words: the partial index events_status_rare
    // (db/indexes.ts) serves a query only when its WHERE implies the index's.
    const without200 = f.statuses.every((s) => (typeof s === 'number' ? s !== 200 : s !== '2xx'));
    parts.push({ text: `(${j.text})${without200 ? ' AND e.status <> 200' : ''}`, params: j.params });
  }
  if (f.pids !== undefined && f.pids.length > 0) {
    rollupOnly = false;
    parts.push(inList('e.pid', f.pids));
  }
  const usesText = query !== '';
  if (usesText) {
    rollupOnly = false;
    parts.push(
      common && textMode === 'auto'
        ? sql`EXISTS (SELECT 1 FROM events_fts f WHERE f.rowid = e.id AND events_fts MATCH ${query})`
        : sql`e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ${query})`,
    );
  }
  if (f.tagIds !== undefined && f.tagIds.length > 0) {
    rollupOnly = false;
    const t = inList('tag_id', f.tagIds);
    parts.push({ text: `e.id IN (SELECT event_id FROM event_tags WHERE ${t.text})`, params: t.params });
  } else if (f.tagged === true) {
    rollupOnly = false;
    parts.push(sql`e.id IN (SELECT event_id FROM event_tags)`);
  }
  if (f.starred === true) {
    rollupOnly = false;
    parts.push(sql`e.id IN (SELECT event_id FROM event_stars)`);
  }
  if (f.findingId !== undefined) {
    rollupOnly = false;
    parts.push(sql`e.id IN (SELECT event_id FROM finding_events WHERE finding_id = ${f.findingId})`);
  }
  return { where: parts.length === 0 ? sql`1` : joinSql(parts, ' AND '), usesText, rollupOnly, ts };
}

type RawRow = {
  id: number; ts: number | null; evidence_id: number; rel_path: string; source_kind: string; line_no: number; kind: string; sev: number | null;
  host: string | null; program: string | null; pid: number | null; src_ip: string | null; user: string | null; method: string | null;
  path: string | null; status: number | null; message: string; flags: number; tag_ids: string | null; starred: number; comments: number;
};

const ROW_SELECT = `e.id, e.ts, e.evidence_id, v.rel_path, v.source_kind, e.line_no, sk.value AS kind, e.sev, sh.value AS host, sp.value AS program,
  e.pid, ip.text AS src_ip, su.value AS user, sm.value AS method, e.path AS path, e.status, e.message, e.flags,
  (SELECT group_concat(tag_id) FROM event_tags t WHERE t.event_id = e.id) AS tag_ids,
  EXISTS (SELECT 1 FROM event_stars s WHERE s.event_id = e.id) AS starred,
  (SELECT count(*) FROM comments c WHERE c.event_id = e.id) AS comments`;

// CROSS JOIN fixes the join order (SQLite keeps it): from the page's ids to their rows, never from
// the evidence to all of its events.
const ROW_JOINS = `CROSS JOIN evidence v ON v.id = e.evidence_id
  LEFT JOIN strings sk ON sk.id = e.kind LEFT JOIN strings sh ON sh.id = e.host LEFT JOIN strings sp ON sp.id = e.program
  LEFT JOIN ips ip ON ip.id = e.src_ip LEFT JOIN strings su ON su.id = e.user LEFT JOIN strings sm ON sm.id = e.method`;

export function toTimelineRow(r: RawRow): TimelineRow {
  return {
    id: r.id, ts: r.ts, evidenceId: r.evidence_id, evidencePath: r.rel_path, sourceKind: r.source_kind, lineNo: r.line_no, kind: r.kind,
    severity: r.sev === null ? null : (SEVERITIES[r.sev] ?? null), host: r.host, program: r.program, pid: r.pid, srcIp: r.src_ip, user: r.user,
    method: r.method, path: r.path, status: r.status, message: r.message, flags: r.flags,
    tagIds: r.tag_ids === null ? [] : r.tag_ids.split(',').map(Number), starred: r.starred === 1, comments: r.comments,
  };
}

/** Rows by id (for details and exports of a selection). */
export function rowsByIds(db: ReadableDb, ids: ReadonlyArray<number>): TimelineRow[] {
  if (ids.length === 0) {
    return [];
  }
  const rows = db.prepare(`SELECT ${ROW_SELECT} FROM events e ${ROW_JOINS} WHERE e.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as RawRow[];
  return rows.map(toTimelineRow);
}

/**
 * One page of the timeline in (ts, id) order, keyset-paginated: `after` continues forward from a
 * cursor, `before` goes back. Untimed lines (when included) sort after the timed ones.
 */
export function queryPage(
  db: ReadableDb,
  filter: TimelineFilter,
  options: Readonly<{ after?: Cursor; before?: Cursor; limit: number }>,
): { rows: TimelineRow[]; next: Cursor | null; prev: Cursor | null } {
  const built = buildFilter(db, filter, 'auto');
  const parts: Sql[] = [built.where];
  // NULL ts sorts last: the key is (ts IS NULL, ts, id).
  // Without untimed lines the key is a plain row-value range, which the ts index answers directly.
  const untimed = filter.includeUntimed === true;
  const T = built.ts;
  const keyOf = (c: Cursor): Sql =>
    c.ts === null
      ? { text: `(${T} IS NULL AND e.id > ?)`, params: [c.id] }
      : untimed
        ? { text: `((${T}, e.id) > (?, ?) OR ${T} IS NULL)`, params: [c.ts, c.id] }
        : { text: `(${T}, e.id) > (?, ?)`, params: [c.ts, c.id] };
  const keyBefore = (c: Cursor): Sql =>
    c.ts === null
      ? { text: `(${T} IS NOT NULL OR e.id < ?)`, params: [c.id] }
      : { text: `(${T} IS NOT NULL AND (${T}, e.id) < (?, ?))`, params: [c.ts, c.id] };
  const backwards = options.before !== undefined;
  if (options.after !== undefined) {
    parts.push(keyOf(options.after));
  } else if (options.before !== undefined) {
    parts.push(keyBefore(options.before));
  }
  const where = joinSql(parts, ' AND ');
  const order = backwards ? `${T} IS NULL DESC, ${T} DESC, e.id DESC` : `${T} IS NULL, ${T}, e.id`;
  const inner = `SELECT e.id FROM events e WHERE ${where.text} ORDER BY ${filter.includeUntimed === true ? order : order.replace(/^[^,]+ IS NULL( DESC)?, /u, '')} LIMIT ?`;
  const stmt = db.prepare(`SELECT ${ROW_SELECT} FROM (${inner}) page CROSS JOIN events e ON e.id = page.id ${ROW_JOINS}`);
  let raw: RawRow[];
  try {
    raw = stmt.all(...where.params, options.limit) as RawRow[];
  } catch (error) {
    if (built.usesText && isSearchSyntaxError(error)) {
      throw new DossierError('bad_input', `The search "${filter.text ?? ''}" is not valid: use words, "phrases", prefix*, AND, OR, NOT and parentheses.`);
    }
    throw error;
  }
  const rows = raw.map(toTimelineRow).sort((a, b) => (a.ts === null ? (b.ts === null ? a.id - b.id : 1) : b.ts === null ? -1 : a.ts - b.ts || a.id - b.id));
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows,
    next: last === undefined ? null : { ts: last.ts, id: last.id },
    prev: first === undefined ? null : { ts: first.ts, id: first.id },
  };
}

function zoneOffsetMs(utcMs: number, zone: string): number {
  try {
    return utcToZonedWall(utcMs, zone).offsetMinutes * 60_000;
  } catch {
    return 0;
  }
}

const BUCKETS: ReadonlyArray<readonly [number, string]> = [
  [1000, '1 second'], [5000, '5 seconds'], [15_000, '15 seconds'], [30_000, '30 seconds'],
  [60_000, '1 minute'], [300_000, '5 minutes'], [900_000, '15 minutes'], [1_800_000, '30 minutes'],
  [3_600_000, '1 hour'], [10_800_000, '3 hours'], [21_600_000, '6 hours'], [43_200_000, '12 hours'],
  [86_400_000, '1 day'], [604_800_000, '1 week'], [2_592_000_000, '30 days'], [31_536_000_000, '365 days'],
];

export function chooseBucket(rangeMs: number, wanted: number): readonly [number, string] {
  const target = rangeMs / Math.max(1, wanted);
  return BUCKETS.find(([ms]) => ms >= target) ?? (BUCKETS[BUCKETS.length - 1] as readonly [number, string]);
}

export type HistogramResult = {
  from: number | null; to: number | null; bucketMs: number; bucketLabel: string; starts: number[];
  series: Array<{ key: string; counts: number[] }>; total: number; marked: number[]; source: 'rollup' | 'events';
};

/**
 * Counts per bucket over the filter, stacked by source kind or severity. Time, evidence, source
 * kind and severity filters with buckets of a minute or more are answered from the per-minute
 * rollup (milliseconds at millions of events); anything else from the events, through the indexes.
 */
export function histogram(db: ReadableDb, filter: TimelineFilter, wanted: number, groupBy: 'sourceKind' | 'severity', zone = 'UTC'): HistogramResult {
  const built = buildFilter(db, filter);
  let lo = filter.from ?? null;
  let hi = filter.to ?? null;
  if (lo === null || hi === null) {
    const ev = filter.evidenceIds !== undefined && filter.evidenceIds.length > 0 ? inList('id', filter.evidenceIds) : sql`1`;
    const r = db.prepare(`SELECT min(first_ts) AS lo, max(last_ts) AS hi FROM evidence WHERE ${ev.text}`).get(...ev.params) as { lo: number | null; hi: number | null };
    // Whole minutes when the range comes from the data, so the rollup can answer.
    lo ??= r.lo === null ? null : Math.floor(r.lo / 60_000) * 60_000;
    hi ??= r.hi === null ? null : Math.floor(r.hi / 60_000) * 60_000 + 60_000;
  }
  if (lo === null || hi === null || hi <= lo) {
    return { from: lo, to: hi, bucketMs: 60_000, bucketLabel: '1 minute', starts: [], series: [], total: 0, marked: [], source: 'rollup' };
  }
  const [bucketMs, bucketLabel] = chooseBucket(hi - lo, wanted);
  // Buckets of an hour or more are aligned on the display zone (its offset at the start of the range;
  // across a DST change the later buckets are an hour off, as the label of a 1-day bucket says).
  const offset = bucketMs >= 3_600_000 && zone !== 'UTC' ? zoneOffsetMs(lo, zone) : 0;
  const start = Math.floor((lo + offset) / bucketMs) * bucketMs - offset;
  const n = Math.max(1, Math.ceil((hi - start) / bucketMs));
  const starts = Array.from({ length: n }, (_, i) => start + i * bucketMs);
  const evidenceKind = new Map((db.prepare('SELECT id, source_kind FROM evidence').all() as Array<{ id: number; source_kind: string }>).map((r) => [r.id, r.source_kind]));
  const keyOf = (g: number | null): string => (groupBy === 'sourceKind' ? (evidenceKind.get(g ?? -1) ?? 'unknown') : g === null || g >= SEVERITIES.length ? 'none' : (SEVERITIES[g] ?? 'none'));
  const useRollup = built.rollupOnly && bucketMs >= 60_000 && lo % 60_000 === 0 && hi % 60_000 === 0 && start % 60_000 === 0;
  let rows: Array<{ b: number; g: number | null; n: number }>;
  if (useRollup) {
    const parts: Sql[] = [sql`h.minute >= ${Math.floor(lo / 60_000)}`, sql`h.minute < ${Math.ceil(hi / 60_000)}`];
    if (filter.evidenceIds !== undefined && filter.evidenceIds.length > 0) {
      parts.push(inList('h.evidence_id', filter.evidenceIds));
    }
    if (filter.sourceKinds !== undefined && filter.sourceKinds.length > 0) {
      parts.push(inList('h.evidence_id', [...evidenceKind].filter(([, k]) => filter.sourceKinds?.includes(k)).map(([id]) => id)));
    }
    if (filter.severities !== undefined && filter.severities.length > 0) {
      parts.push(inList('h.sev', filter.severities.map((s) => SEVERITIES.indexOf(s))));
    }
    const w = joinSql(parts, ' AND ');
    const g = groupBy === 'sourceKind' ? 'h.evidence_id' : 'h.sev';
    rows = db.prepare(`SELECT (h.minute * 60000 - ?) / ? AS b, ${g} AS g, sum(h.n) AS n FROM hist_minute h WHERE ${w.text} GROUP BY 1, 2`).all(start, bucketMs, ...w.params) as typeof rows;
  } else {
    const g = groupBy === 'sourceKind' ? 'e.evidence_id' : 'e.sev';
    const w = joinSql([built.where, { text: `${built.ts} >= ?`, params: [lo] }, { text: `${built.ts} < ?`, params: [hi] }], ' AND ');
    try {
      rows = db.prepare(`SELECT (e.ts - ?) / ? AS b, ${g} AS g, count(*) AS n FROM events e WHERE ${w.text} GROUP BY 1, 2`).all(start, bucketMs, ...w.params) as typeof rows;
    } catch (error) {
      if (built.usesText && isSearchSyntaxError(error)) {
        throw new DossierError('bad_input', `The search "${filter.text ?? ''}" is not valid: use words, "phrases", prefix*, AND, OR, NOT and parentheses.`);
      }
      throw error;
    }
  }
  const series = new Map<string, number[]>();
  let total = 0;
  for (const r of rows) {
    const key = keyOf(r.g);
    let counts = series.get(key);
    if (counts === undefined) {
      counts = new Array<number>(n).fill(0);
      series.set(key, counts);
    }
    const i = Math.floor(r.b);
    if (i >= 0 && i < n) {
      counts[i] = (counts[i] ?? 0) + r.n;
      total += r.n;
    }
  }
  const marked = (
    db
      .prepare(
        `SELECT DISTINCT (e.ts - ?) / ? AS b FROM events e
         WHERE e.id IN (SELECT event_id FROM event_tags UNION SELECT event_id FROM event_stars) AND e.ts >= ? AND e.ts < ? AND ${built.where.text}`,
      )
      .all(start, bucketMs, lo, hi, ...built.where.params) as Array<{ b: number }>
  )
    .map((r) => starts[Math.floor(r.b)])
    .filter((x): x is number => x !== undefined);
  return {
    from: lo, to: hi, bucketMs, bucketLabel, starts, total, marked, source: useRollup ? 'rollup' : 'events',
    series: [...series].map(([key, counts]) => ({ key, counts })).sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** The most frequent values of a field under the filter (for filter pickers). */
export function facet(db: ReadableDb, filter: TimelineFilter, field: 'host' | 'program' | 'kind' | 'user' | 'method' | 'src_ip' | 'status', limit: number): Array<{ value: string; count: number }> {
  const built = buildFilter(db, filter);
  const join = field === 'src_ip' ? 'JOIN ips x ON x.id = e.src_ip' : field === 'status' ? '' : `JOIN strings x ON x.id = e.${field}`;
  const value = field === 'src_ip' ? 'x.text' : field === 'status' ? 'CAST(e.status AS TEXT)' : 'x.value';
  const notNull = field === 'status' ? 'AND e.status IS NOT NULL' : '';
  return db
    .prepare(`SELECT ${value} AS value, count(*) AS count FROM events e ${join} WHERE ${built.where.text} ${notNull} GROUP BY 1 ORDER BY 2 DESC LIMIT ?`)
    .all(...built.where.params, limit) as Array<{ value: string; count: number }>;
}
