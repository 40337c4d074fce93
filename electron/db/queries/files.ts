/**
 * Reads for the files-and-processes analyses: manifest entries, bodyfile entries and events, strace
 * events, and the error-log lines naming exiting children. Rows come out as plain values; the
 * analysis itself is pure (electron/core/analysis/files).
 */
import type { ManifestEntry } from '../../core/analysis/files/manifest-diff';
import type { BodyfileFileState } from '../../core/analysis/files/manifest-diff';
import type { ActivityRow } from '../../core/analysis/files/bodyfile-activity';
import type { ErrorLogLine, StraceRow } from '../../core/analysis/files/strace-summary';
import type { ReadableDb } from '../connection/sql';
import { EVIDENCE_EVENTS, SMALL_ROWS, evidenceRows } from './evidence-rows';

export type EvidenceRef = Readonly<{ id: number; path: string; mtimeMs: number | null; events: number }>;

/** Evidence files of one source kind (current versions, not duplicates). */
export function evidenceOfKind(db: ReadableDb, sourceKind: string): EvidenceRef[] {
  return (
    db
      .prepare(
        `SELECT v.id, v.rel_path, v.mtime_ms, v.events FROM evidence v
         WHERE v.source_kind = ? AND v.duplicate_of IS NULL AND v.status IN ('complete', 'partial')
           AND NOT EXISTS (SELECT 1 FROM evidence n WHERE n.supersedes = v.id)
         ORDER BY v.rel_path, v.id`,
      )
      .all(sourceKind) as Array<{ id: number; rel_path: string; mtime_ms: number | null; events: number }>
  ).map((r) => ({ id: r.id, path: r.rel_path, mtimeMs: r.mtime_ms, events: r.events }));
}

function parseExtra(extra: string | null): Record<string, unknown> {
  if (extra === null) {
    return {};
  }
  try {
    const v = JSON.parse(extra) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The hash lines of a manifest. */
export function manifestEntries(db: ReadableDb, evidenceId: number): ManifestEntry[] {
  // In line order: ids grow with line numbers within an evidence (evidence-rows.ts).
  const rows = evidenceRows(db, evidenceId);
  const events = db
    .prepare(
      `SELECT e.id, e.line_no, e.extra FROM events e JOIN strings k ON k.id = e.kind
       WHERE ${rows.text} AND k.value = 'file_hash' ORDER BY e.id`,
    )
    .all(...rows.params) as Array<{ id: number; line_no: number; extra: string | null }>;
  const out: ManifestEntry[] = [];
  for (const r of events) {
    const x = parseExtra(r.extra);
    const path = str(x['path']);
    const hash = str(x['hash']);
    const algorithm = str(x['algorithm']);
    if (path !== null && hash !== null && algorithm !== null) {
      out.push({ path, hash, algorithm, eventId: r.id, lineNo: r.line_no });
    }
  }
  return out;
}

function epochMs(text: unknown): number | null {
  if (typeof text !== 'string' || !/^\d{1,12}(?:\.\d{1,9})?$/u.test(text)) {
    return null;
  }
  const ms = Math.floor(Number(text) * 1000);
  return ms > 0 ? ms : null;
}

/** One state per bodyfile entry (line): name, MD5, size, mtime and ctime, and its event ids. */
export function bodyfileStates(db: ReadableDb, evidenceId: number): BodyfileFileState[] {
  const rows = evidenceRows(db, evidenceId);
  const events = db
    .prepare(
      `SELECT e.id, e.line_no, e.extra FROM events e JOIN strings k ON k.id = e.kind
       WHERE ${rows.text} AND k.value = 'file_time' ORDER BY e.id`,
    )
    .all(...rows.params) as Array<{ id: number; line_no: number; extra: string | null }>;
  const byLine = new Map<number, { state: Omit<BodyfileFileState, 'eventIds'>; ids: number[] }>();
  for (const r of events) {
    const existing = byLine.get(r.line_no);
    if (existing !== undefined) {
      existing.ids.push(r.id);
      continue;
    }
    const x = parseExtra(r.extra);
    const name = str(x['name']);
    if (name === null) {
      continue;
    }
    byLine.set(r.line_no, {
      state: { name, md5: str(x['md5']), size: typeof x['size'] === 'number' ? x['size'] : null, mtimeMs: epochMs(x['mtime']), ctimeMs: epochMs(x['ctime']) },
      ids: [r.id],
    });
  }
  return [...byLine.values()].map((v) => ({ ...v.state, eventIds: v.ids }));
}

/** Bodyfile events in [from, to), optionally only names containing `pathContains`; one more than `limit` tells truncation. */
export function activityRows(db: ReadableDb, from: number, to: number, pathContains: string | null, limit: number): ActivityRow[] {
  // A few bodyfile events (the usual case): read them all through their evidence and sort. Millions
  // (a whole disk): walk the time index, which stops after `limit` rows.
  const total = (db.prepare("SELECT coalesce(sum(events), 0) AS n FROM evidence WHERE source_kind = 'bodyfile'").get() as { n: number }).n;
  const joined = total <= SMALL_ROWS ? EVIDENCE_EVENTS.replace(' JOIN ', ' CROSS JOIN ') : 'events e JOIN evidence v ON v.id = e.evidence_id';
  const rows = db
    .prepare(
      `SELECT e.id, e.ts, e.extra, v.rel_path FROM ${joined}
       WHERE v.source_kind = 'bodyfile' AND e.ts >= ? AND e.ts < ?
         AND (? IS NULL OR instr(json_extract(e.extra, '$.name'), ?) > 0)
       ORDER BY e.ts, e.id LIMIT ?`,
    )
    .all(from, to, pathContains, pathContains, limit) as Array<{ id: number; ts: number; extra: string | null; rel_path: string }>;
  return rows.map((r) => {
    const x = parseExtra(r.extra);
    return {
      eventId: r.id, ts: r.ts, macb: str(x['macb']) ?? '....', name: str(x['name']) ?? '', mode: str(x['mode']), uid: str(x['uid']),
      size: typeof x['size'] === 'number' ? x['size'] : null, evidencePath: r.rel_path,
    };
  });
}

export function bodyfileEventCount(db: ReadableDb): { events: number; min: number | null; max: number | null } {
  const r = db
    .prepare(`SELECT count(*) AS n, min(e.ts) AS lo, max(e.ts) AS hi FROM ${EVIDENCE_EVENTS} WHERE v.source_kind = 'bodyfile' AND e.ts IS NOT NULL`)
    .get() as { n: number; lo: number | null; hi: number | null };
  return { events: r.n, min: r.lo, max: r.hi };
}

/** Apache restarts and stops, and processes killed under strace: times worth looking around. */
export function activityAnchors(db: ReadableDb, limit: number): Array<{ ts: number; label: string; eventId: number }> {
  const restarts = db
    .prepare(
      `SELECT e.id, e.ts, e.message FROM ${EVIDENCE_EVENTS}
       WHERE v.source_kind = 'apache_error' AND e.ts IS NOT NULL
         AND (e.message LIKE '%resuming normal operations%' OR e.message LIKE '%SIGHUP received%' OR e.message LIKE '%caught SIGTERM%' OR e.message LIKE '%SIGUSR1 received%')
       ORDER BY e.ts LIMIT ?`,
    )
    .all(limit) as Array<{ id: number; ts: number; message: string }>;
  const killed = db
    .prepare(
      `SELECT e.id, e.ts, e.pid, e.message FROM ${EVIDENCE_EVENTS} JOIN strings k ON k.id = e.kind
       WHERE v.source_kind = 'strace' AND k.value = 'strace_killed' AND e.ts IS NOT NULL ORDER BY e.ts LIMIT ?`,
    )
    .all(limit) as Array<{ id: number; ts: number; pid: number | null; message: string }>;
  const label = (m: string): string =>
    /resuming normal operations/u.test(m) ? 'Apache started' : /SIGHUP|SIGUSR1/u.test(m) ? 'Apache restart' : /SIGTERM/u.test(m) ? 'Apache stop' : m.slice(0, 60);
  return [
    ...restarts.map((r) => ({ ts: r.ts, label: label(r.message), eventId: r.id })),
    ...killed.map((r) => ({ ts: r.ts, label: `PID ${r.pid ?? '?'} ${r.message.replace(/^\+\+\+ | \+\+\+$/gu, '')}`, eventId: r.id })),
  ].sort((a, b) => a.ts - b.ts);
}

/** Every strace event (bounded), in order. */
export function straceRows(db: ReadableDb, limit: number): StraceRow[] {
  const rows = db
    .prepare(
      `SELECT e.id, e.ts, e.pid, e.extra, e.evidence_id, v.rel_path, k.value AS kind FROM ${EVIDENCE_EVENTS} JOIN strings k ON k.id = e.kind
       WHERE v.source_kind = 'strace' AND k.value != 'raw' ORDER BY e.id LIMIT ?`,
    )
    .all(limit) as Array<{ id: number; ts: number | null; pid: number | null; extra: string | null; evidence_id: number; rel_path: string; kind: string }>;
  return rows.map((r) => ({ eventId: r.id, ts: r.ts, pid: r.pid, kind: r.kind, evidenceId: r.evidence_id, evidencePath: r.rel_path, extra: parseExtra(r.extra) }));
}

/** Error-log lines about exiting children (`child pid N exit signal …`). */
export function childExitLines(db: ReadableDb, limit: number): ErrorLogLine[] {
  return (
    db
      .prepare(
        `SELECT e.id, e.ts, e.message, v.rel_path FROM ${EVIDENCE_EVENTS}
         WHERE v.source_kind = 'apache_error' AND e.message LIKE '%child pid % exit %' ORDER BY e.id LIMIT ?`,
      )
      .all(limit) as Array<{ id: number; ts: number | null; message: string; rel_path: string }>
  ).map((r) => ({ eventId: r.id, ts: r.ts, message: r.message, evidencePath: r.rel_path }));
}
