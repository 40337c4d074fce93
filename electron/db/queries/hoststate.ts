import type { SnapshotSummary } from '../../../shared/domain/hoststate';
import type { WritableDb } from '../connection/sql';

export type SnapshotInsert = Readonly<{
  evidenceId: number;
  captureTs: number | null;
  captureTzOff: number | null;
  captureFlags: number;
  timeSource: 'page' | 'file_mtime' | 'none';
  timeText: string | null;
  summary: SnapshotSummary;
  createdUtc: string;
}>;

/** Records a capture's snapshot row (called by the ingest engine in the evidence's closing transaction). */
export function insertSnapshot(db: WritableDb, s: SnapshotInsert): void {
  db.prepare(
    `INSERT INTO hoststate_snapshots (evidence_id, kind, capture_ts, capture_tz_off, capture_flags, time_source, time_text, summary, created_utc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (evidence_id) DO UPDATE SET kind = excluded.kind, capture_ts = excluded.capture_ts, capture_tz_off = excluded.capture_tz_off,
       capture_flags = excluded.capture_flags, time_source = excluded.time_source, time_text = excluded.time_text, summary = excluded.summary`,
  ).run(s.evidenceId, s.summary.kind, s.captureTs, s.captureTzOff, s.captureFlags, s.timeSource, s.timeText, JSON.stringify(s.summary), s.createdUtc);
}
