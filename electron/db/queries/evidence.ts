import type { EvidenceItem, EvidenceUpdate } from '../../../shared/domain/evidence';
import type { ReadableDb, WritableDb } from '../connection/sql';
import { registerTimeFunctions } from '../time-functions';
import { evidenceRows } from './evidence-rows';

type Row = {
  id: number; rel_path: string; root_path: string; container: string; size: number; content_size: number | null; mtime_ms: number | null;
  sha256: string | null; md5: string | null; content_sha256: string | null; format: string; format_confidence: number; format_source: string;
  source_kind: string; parser: string; outcome: string; outcome_detail: string; status: string; lines: number; events: number; raw_only: number;
  invalid_utf8: number; oversized: number; untimed: number; first_ts: number | null; last_ts: number | null; time_zone: string;
  clock_offset_ms: number; year_base: number | null; year_reason: string | null; uac_area: string | null; original_path: string | null;
  version: number; supersedes: number | null; added_utc: string;
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toItem(r: Row): EvidenceItem {
  return {
    id: r.id, path: r.rel_path, rootPath: r.root_path, container: r.container, size: r.size, contentSize: r.content_size,
    mtimeUtc: iso(r.mtime_ms), sha256: r.sha256, md5: r.md5, contentSha256: r.content_sha256, format: r.format,
    formatConfidence: r.format_confidence, formatSource: r.format_source, sourceKind: r.source_kind, parser: r.parser, outcome: r.outcome,
    outcomeDetail: r.outcome_detail, status: r.status, lines: r.lines, events: r.events, rawOnly: r.raw_only, invalidUtf8: r.invalid_utf8,
    oversized: r.oversized, untimed: r.untimed, firstUtc: iso(r.first_ts), lastUtc: iso(r.last_ts), timeZone: r.time_zone,
    clockOffsetMs: r.clock_offset_ms, yearBase: r.year_base, yearReason: r.year_reason, uacArea: r.uac_area, originalPath: r.original_path,
    version: r.version, supersedes: r.supersedes, addedUtc: r.added_utc,
  };
}

export function listEvidence(db: ReadableDb): EvidenceItem[] {
  return (db.prepare('SELECT * FROM evidence ORDER BY root_path, rel_path, version').all() as Row[]).map(toItem);
}

export function getEvidence(db: ReadableDb, id: number): EvidenceItem | null {
  const r = db.prepare('SELECT * FROM evidence WHERE id = ?').get(id) as Row | undefined;
  return r === undefined ? null : toItem(r);
}

/**
 * Re-times an evidence file without reading it again: each event's wall-clock time is recovered
 * from its stored UTC, zone offset and clock offset, then read in the new zone (and year), plus the
 * new clock offset. The histogram rollup and the evidence's time range follow. Returns what changed.
 */
export function retimeEvidence(db: WritableDb, update: EvidenceUpdate): Record<string, { from: unknown; to: unknown }> {
  const r = db.prepare('SELECT * FROM evidence WHERE id = ?').get(update.id) as Row | undefined;
  if (r === undefined) {
    return {};
  }
  const zone = update.timeZone ?? r.time_zone;
  const clock = update.clockOffsetMs ?? r.clock_offset_ms;
  const yearDelta = update.year !== undefined && r.year_base !== null ? update.year - r.year_base : 0;
  // The events' stored wall clocks already carry the current year base; the delta moves them.
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (zone !== r.time_zone) {
    changes['timeZone'] = { from: r.time_zone, to: zone };
  }
  if (clock !== r.clock_offset_ms) {
    changes['clockOffsetMs'] = { from: r.clock_offset_ms, to: clock };
  }
  if (yearDelta !== 0) {
    changes['year'] = { from: r.year_base, to: update.year };
  }
  if (Object.keys(changes).length === 0) {
    return {};
  }
  registerTimeFunctions(db);
  const rows = evidenceRows(db, r.id, '');
  db.prepare(
    `UPDATE event_rows SET ts = dossier_retime(ts, tz_off, flags, ?, ?, ?, ?), tz_off = dossier_retime_off(ts, tz_off, flags, ?, ?, ?, ?)
     WHERE ${rows.text} AND ts IS NOT NULL`,
  ).run(r.clock_offset_ms, clock, zone, yearDelta, r.clock_offset_ms, clock, zone, yearDelta, ...rows.params);
  db.prepare(
    `UPDATE evidence SET time_zone = ?, clock_offset_ms = ?, year_base = coalesce(?, year_base),
       year_reason = CASE WHEN ? THEN 'analyst' ELSE year_reason END,
       first_ts = (SELECT min(ts) FROM events WHERE ${rows.text}), last_ts = (SELECT max(ts) FROM events WHERE ${rows.text})
     WHERE id = ?`,
  ).run(zone, clock, yearDelta !== 0 ? (update.year ?? null) : null, yearDelta !== 0 ? 1 : 0, ...rows.params, ...rows.params, r.id);
  db.prepare('DELETE FROM hist_minute WHERE evidence_id = ?').run(r.id);
  db.prepare(
    `INSERT INTO hist_minute (minute, evidence_id, sev, n)
     SELECT ts / 60000, evidence_id, coalesce(sev, 8), count(*) FROM events WHERE ${rows.text} AND ts IS NOT NULL GROUP BY 1, 2, 3`,
  ).run(...rows.params);
  return changes;
}

/**
 * Removes everything an evidence version put in the case (events, their full-text entries, raw
 * blocks, batches, histogram rows) and the evidence row itself. Used to redo a partial ingest.
 */
export function deleteEvidenceData(db: WritableDb, evidenceId: number): void {
  const rows = evidenceRows(db, evidenceId, '');
  const upto = db.prepare("SELECT value FROM kv WHERE key = 'fts_indexed_upto'").get() as { value: string } | undefined;
  if (upto !== undefined) {
    db.prepare(
      `INSERT INTO events_fts (events_fts, rowid, message) SELECT 'delete', id, message FROM events WHERE ${rows.text} AND id <= ?`,
    ).run(...rows.params, Number(upto.value));
  }
  db.prepare(`DELETE FROM event_rows WHERE ${rows.text}`).run(...rows.params);
  db.prepare('DELETE FROM raw_blocks WHERE evidence_id = ?').run(evidenceId);
  db.prepare('DELETE FROM ingest_batches WHERE evidence_id = ?').run(evidenceId);
  db.prepare('DELETE FROM hist_minute WHERE evidence_id = ?').run(evidenceId);
  db.prepare('UPDATE evidence SET supersedes = NULL WHERE supersedes = ?').run(evidenceId);
  db.prepare('UPDATE evidence SET duplicate_of = NULL WHERE duplicate_of = ?').run(evidenceId);
  db.prepare('DELETE FROM evidence WHERE id = ?').run(evidenceId);
}
