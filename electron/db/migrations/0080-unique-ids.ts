import type { Migration } from './types';

/**
 * Decoded mod_unique_id values (a derived cache, rebuilt from the events at any time): one row per
 * access event carrying a UNIQUE_ID, filled after ingest (electron/db/queries/unique-ids.ts), so the
 * worker charts and the restart estimate aggregate in SQL instead of parsing `extra` per request.
 */
export const migration0080: Migration = {
  version: 80,
  name: 'unique-ids',
  sql: `
-- One row per child seen: "ip/pid" for the classic layouts, "root:<hex>" for the 2.4 root layouts.
CREATE TABLE uid_children (
  id INTEGER PRIMARY KEY,
  child_key TEXT NOT NULL UNIQUE,
  pid INTEGER,
  ip TEXT,
  layout TEXT NOT NULL
) STRICT;

CREATE TABLE uid_events (
  event_id INTEGER PRIMARY KEY,
  evidence_id INTEGER NOT NULL,
  -- the event's ts (kept in step with re-timing), and its 10-minute bucket for the aggregates
  ts INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  child INTEGER NOT NULL,
  -- scoreboard slot (connection id); NULL for the 1.3 layout without one
  slot INTEGER,
  -- per-child counter, 16-bit wraps unrolled in file order
  counter INTEGER NOT NULL,
  -- the request time written in the id (seconds)
  uid_s INTEGER NOT NULL
) STRICT;
CREATE INDEX uid_events_evidence ON uid_events (evidence_id);

-- Per evidence, slot, child and 10-minute bucket: what the charts and the restart estimate read
-- (tens of thousands of rows for millions of requests).
CREATE TABLE uid_pieces (
  evidence_id INTEGER NOT NULL,
  slot INTEGER,
  child INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  first INTEGER NOT NULL,
  last INTEGER NOT NULL,
  n INTEGER NOT NULL,
  min_counter INTEGER NOT NULL,
  max_counter INTEGER NOT NULL
) STRICT;
CREATE INDEX uid_pieces_evidence ON uid_pieces (evidence_id);

-- One row per decoded evidence: what was read, and the timing it was decoded under.
CREATE TABLE uid_evidence (
  evidence_id INTEGER PRIMARY KEY,
  clock_offset_ms INTEGER NOT NULL,
  time_zone TEXT NOT NULL,
  year_base INTEGER,
  decoded INTEGER NOT NULL,
  malformed INTEGER NOT NULL,
  malformed_example TEXT,
  layouts TEXT NOT NULL,
  -- logged time minus UNIQUE_ID time (ms), under the timing above: median, median absolute deviation, min, max
  diff_median_ms INTEGER,
  diff_spread_ms INTEGER,
  diff_min_ms INTEGER,
  diff_max_ms INTEGER
) STRICT;
`,
};
