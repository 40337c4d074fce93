import { SEVERITIES, type ParsedEvent } from '../../shared/domain/parsed';
import { EventFlag, flagNames } from '../../shared/domain/event-flags';
import { csvRow } from '../core/export/csv';
import { parserForFile, resolveFormat, type FormatDescriptor, type FormatId } from '../core/parsers/registry';
import type { ReadableDb } from '../db/connection/sql';
import { createRawLineReader } from '../db/queries/raw-lines';
import { evidenceRows, evidenceSetRows } from '../db/queries/evidence-rows';
import { buildFilter } from '../db/queries/timeline';
import type { TimelineFilter } from '../../shared/domain/timeline';

export type ExportFormat = 'jsonl' | 'csv';

export type ExportOptions = Readonly<{
  format: ExportFormat;
  sourceKind?: string;
  evidenceId?: number;
  /** A timeline filter (the current view); events without time are included only when it says so. */
  filter?: TimelineFilter;
  write: (chunk: string) => void;
}>;

type Row = {
  id: number; evidence_id: number; line_no: number; byte_offset: number; ts: number | null; tz_off: number | null; flags: number;
  kind: string; sev: number | null; host: string | null; program: string | null; pid: number | null; tid: number | null; src_ip: string | null;
  src_port: number | null; user: string | null; method: string | null; path: string | null; status: number | null; bytes: number | null;
  message: string; extra: string | null; rel_path: string; format: string; parser: string; source_kind: string; time_zone: string;
  clock_offset_ms: number; year_reason: string | null; sha256: string | null; content_sha256: string | null;
};

/** Columns of the CSV export; JSONL records carry the same keys (plus `parsed` with every parser field). */
export const EXPORT_COLUMNS = [
  'datetime', 'timestamp_desc', 'message', 'source', 'source_kind', 'evidence', 'evidence_sha256', 'line', 'byte_offset', 'kind', 'severity',
  'host', 'program', 'pid', 'tid', 'src_ip', 'src_port', 'user', 'http_method', 'http_path', 'http_query', 'http_status', 'http_bytes',
  'http_referer', 'http_user_agent', 'http_vhost', 'time_text', 'tz', 'tz_offset_minutes', 'offset_ms', 'year_reason', 'time_flags', 'raw',
] as const;

function timestampDesc(kind: string, sourceKind: string): string {
  if (sourceKind === 'apache_access') {
    return 'Request Time';
  }
  if (kind === 'raw') {
    return 'Unparsed Line';
  }
  return 'Log Entry Time';
}

/**
 * Streams the case's events as JSONL or CSV with Timesketch's import columns (`datetime`,
 * `timestamp_desc`, `message`) plus provenance (evidence, line, hash) and time provenance (zone,
 * offsets, year reason). Fields not kept in columns are re-derived from the raw line by the
 * evidence's (versioned, deterministic) parser. Events without a time have an empty `datetime`.
 */
export function exportEvents(db: ReadableDb, options: ExportOptions): number {
  const raw = createRawLineReader(db);
  const parsers = new Map<string, FormatDescriptor | null>();
  const parserFor = (format: string): FormatDescriptor | null => {
    if (!parsers.has(format)) {
      const r = resolveFormat(format as FormatId);
      parsers.set(format, r.ok ? r.format : null);
    }
    return parsers.get(format) ?? null;
  };
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (options.sourceKind !== undefined) {
    // Through the id ranges of that kind's files (no index on evidence_id): evidence-rows.ts.
    const ids = (db.prepare('SELECT id FROM evidence WHERE source_kind = ?').all(options.sourceKind) as Array<{ id: number }>).map((r) => r.id);
    const rows = evidenceSetRows(db, ids);
    where.push(rows.where.text, 'v.source_kind = ?');
    params.push(...(rows.where.params as number[]), options.sourceKind);
  }
  if (options.evidenceId !== undefined) {
    const rows = evidenceRows(db, options.evidenceId);
    where.push(rows.text);
    params.push(...(rows.params as number[]));
  }
  if (options.filter !== undefined) {
    const built = buildFilter(db, options.filter);
    where.push(built.where.text);
    params.push(...(built.where.params as Array<string | number>));
  }
  const stmt = db.prepare(
    `SELECT e.*, sk.value AS kind, sh.value AS host, sp.value AS program, ip.text AS src_ip, su.value AS user, sm.value AS method, e.path AS path,
       v.rel_path, v.format, v.parser, v.source_kind, v.time_zone, v.clock_offset_ms, v.year_reason, v.sha256, v.content_sha256
     FROM events e JOIN evidence v ON v.id = e.evidence_id
     LEFT JOIN strings sk ON sk.id = e.kind LEFT JOIN strings sh ON sh.id = e.host LEFT JOIN strings sp ON sp.id = e.program
     LEFT JOIN ips ip ON ip.id = e.src_ip LEFT JOIN strings su ON su.id = e.user LEFT JOIN strings sm ON sm.id = e.method
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY e.ts IS NULL, e.ts, e.id`,
  );
  if (options.format === 'csv') {
    options.write(csvRow(EXPORT_COLUMNS));
  }
  let n = 0;
  for (const r of stmt.iterate(...params) as IterableIterator<Row>) {
    const bytes = raw.line(r.evidence_id, r.line_no);
    const rawText = bytes === null ? null : bytes.toString('utf8');
    let parsed: ParsedEvent | null = null;
    if (rawText !== null && (r.flags & EventFlag.RawOnly) === 0) {
      const f = parserFor(r.format);
      const p = f === null ? undefined : parserForFile(f, r.rel_path)(rawText);
      parsed = p?.ok === true ? p.event : null;
    }
    const http = parsed?.http ?? null;
    const record = {
      datetime: r.ts === null ? '' : new Date(r.ts).toISOString(),
      timestamp_desc: timestampDesc(r.kind, r.source_kind),
      message: r.message,
      source: r.source_kind,
      source_kind: r.source_kind,
      evidence: r.rel_path,
      evidence_sha256: r.sha256 ?? r.content_sha256,
      line: r.line_no,
      byte_offset: r.byte_offset,
      kind: r.kind,
      severity: r.sev === null ? null : (SEVERITIES[r.sev] ?? null),
      host: r.host,
      program: r.program,
      pid: r.pid,
      tid: r.tid,
      src_ip: r.src_ip,
      src_port: r.src_port,
      user: r.user,
      http_method: r.method,
      http_path: r.path,
      http_query: http?.query ?? null,
      http_status: r.status,
      http_bytes: r.bytes,
      http_referer: http?.referer ?? null,
      http_user_agent: http?.userAgent ?? null,
      http_vhost: http?.vhost ?? null,
      time_text: parsed?.time?.text ?? null,
      tz: r.ts === null ? null : (r.flags & EventFlag.TimeAbsolute) !== 0 ? 'text' : r.time_zone,
      tz_offset_minutes: r.tz_off,
      offset_ms: r.clock_offset_ms,
      year_reason: (r.flags & EventFlag.YearInferred) !== 0 ? r.year_reason : null,
      time_flags: flagNames(r.flags).join('|'),
      raw: rawText,
    };
    if (options.format === 'csv') {
      options.write(csvRow(EXPORT_COLUMNS.map((c) => record[c])));
    } else {
      options.write(`${JSON.stringify({ ...record, parsed: parsed === null ? null : { ...parsed.extra, ...(parsed.moreTimes !== undefined && r.extra !== null ? (JSON.parse(r.extra) as object) : {}) } })}\n`);
    }
    n += 1;
  }
  return n;
}
