import type { Migration } from './types';

/**
 * Host-state snapshots: one row per capture (server-status page, netstat/ss, ps, top) with its
 * capture time, where that time came from (the page or the file's mtime), and the summary JSON
 * (shared/domain/hoststate.ts). Per-worker / per-connection / per-process detail lives in the
 * capture's events (one per row, fields in `extra`), so panels and the timeline share the same rows.
 */
export const migration0060: Migration = {
  version: 60,
  name: 'hoststate-snapshots',
  sql: `
CREATE TABLE hoststate_snapshots (
  id INTEGER PRIMARY KEY,
  evidence_id INTEGER NOT NULL UNIQUE REFERENCES evidence (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('server_status', 'netstat', 'ps', 'top')),
  capture_ts INTEGER,
  capture_tz_off INTEGER,
  capture_flags INTEGER NOT NULL DEFAULT 0,
  time_source TEXT NOT NULL CHECK (time_source IN ('page', 'file_mtime', 'none')),
  time_text TEXT,
  summary TEXT NOT NULL,
  created_utc TEXT NOT NULL
) STRICT;
CREATE INDEX hoststate_snapshots_kind ON hoststate_snapshots (kind, capture_ts);
`,
};
