import type { Migration } from './types';

/**
 * Evidence registry, events, raw line blocks and the ingest bookkeeping.
 *
 * Design (measured in docs/PERFORMANCE.md):
 * - `events` is narrow: typed columns for what the timeline filters and sorts on; repeated strings
 *   (kind, host, program, user, method, path) are interned in `strings`, addresses in `ips`.
 * - The raw bytes of every line live in `raw_blocks` (deflate-compressed runs of consecutive lines,
 *   terminators included), so every evidence file can be rebuilt byte for byte and hashed again.
 *   Fields not kept in columns are re-derived from the raw line by the (deterministic, versioned) parser.
 * - Indexes and the full-text index are built after the bulk load, not during it.
 */
export const migration0020: Migration = {
  version: 20,
  name: 'evidence-events',
  sql: `
CREATE TABLE strings (
  id INTEGER PRIMARY KEY,
  value TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE ips (
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE,
  -- IPv4 as an unsigned 32-bit integer (NULL for IPv6 and host names), for CIDR range filters
  v4 INTEGER,
  -- IPv6 as 16 bytes big-endian (NULL otherwise)
  v6 BLOB
) STRICT;
CREATE INDEX ips_v4 ON ips (v4) WHERE v4 IS NOT NULL;

CREATE TABLE ingests (
  id INTEGER PRIMARY KEY,
  root_path TEXT NOT NULL,
  started_utc TEXT NOT NULL,
  finished_utc TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'cancelled', 'failed', 'interrupted')),
  options TEXT NOT NULL,
  summary TEXT
) STRICT;

CREATE TABLE evidence (
  id INTEGER PRIMARY KEY,
  ingest_id INTEGER REFERENCES ingests (id),
  rel_path TEXT NOT NULL,
  root_path TEXT NOT NULL,
  container TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_size INTEGER,
  mtime_ms INTEGER,
  sha256 TEXT,
  md5 TEXT,
  content_sha256 TEXT,
  content_md5 TEXT,
  format TEXT NOT NULL,
  format_confidence REAL NOT NULL DEFAULT 0,
  format_source TEXT NOT NULL DEFAULT 'detected',
  source_kind TEXT NOT NULL,
  parser TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL,
  outcome_detail TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'complete', 'partial', 'cancelled', 'failed', 'skipped')),
  lines INTEGER NOT NULL DEFAULT 0,
  events INTEGER NOT NULL DEFAULT 0,
  raw_only INTEGER NOT NULL DEFAULT 0,
  invalid_utf8 INTEGER NOT NULL DEFAULT 0,
  oversized INTEGER NOT NULL DEFAULT 0,
  untimed INTEGER NOT NULL DEFAULT 0,
  first_ts INTEGER,
  last_ts INTEGER,
  time_zone TEXT NOT NULL,
  clock_offset_ms INTEGER NOT NULL DEFAULT 0,
  year_base INTEGER,
  year_reason TEXT,
  uac_area TEXT,
  original_path TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  supersedes INTEGER REFERENCES evidence (id),
  duplicate_of INTEGER REFERENCES evidence (id),
  first_event_id INTEGER,
  last_event_id INTEGER,
  added_utc TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX evidence_path ON evidence (rel_path, root_path);
CREATE INDEX evidence_content ON evidence (content_sha256);

-- One row per committed batch: the proof that a case holds only whole batches.
CREATE TABLE ingest_batches (
  evidence_id INTEGER NOT NULL REFERENCES evidence (id),
  batch_no INTEGER NOT NULL,
  first_line INTEGER NOT NULL,
  last_line INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY (evidence_id, batch_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  evidence_id INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  byte_offset INTEGER NOT NULL,
  -- UTC milliseconds, zone and clock offset applied; NULL when the line carries no time
  ts INTEGER,
  -- UTC offset (minutes) the zone gave this wall-clock time; NULL when the text carried its own offset
  tz_off INTEGER,
  -- bit flags, see shared/domain/event-flags.ts
  flags INTEGER NOT NULL DEFAULT 0,
  kind INTEGER NOT NULL,
  sev INTEGER,
  host INTEGER,
  program INTEGER,
  pid INTEGER,
  tid INTEGER,
  src_ip INTEGER,
  src_port INTEGER,
  user INTEGER,
  method INTEGER,
  -- the URL path as logged (not interned: paths are mostly distinct)
  path TEXT,
  status INTEGER,
  bytes INTEGER,
  message TEXT NOT NULL,
  extra TEXT
) STRICT;

CREATE TABLE raw_blocks (
  evidence_id INTEGER NOT NULL,
  first_line INTEGER NOT NULL,
  line_count INTEGER NOT NULL,
  byte_offset INTEGER NOT NULL,
  raw_size INTEGER NOT NULL,
  -- deflate-raw of the bytes of lines first_line .. first_line+line_count-1, terminators included
  data BLOB NOT NULL,
  PRIMARY KEY (evidence_id, first_line)
) STRICT, WITHOUT ROWID;

-- Per-minute counts for the histogram, maintained by ingest (and re-timing).
CREATE TABLE hist_minute (
  minute INTEGER NOT NULL,
  evidence_id INTEGER NOT NULL,
  sev INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (minute, evidence_id, sev)
) STRICT, WITHOUT ROWID;

CREATE VIRTUAL TABLE events_fts USING fts5 (message, content = 'events', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`,
};
