import type { Migration } from './types';

/**
 * Detector findings (issue 8): one row per finding of the latest run, the full list of its
 * triggering events, the IPs and users it names (for per-IP / per-user look-ups), the analyst's
 * reviews (kept by the finding's stable key, so a re-run with other parameters keeps them), and the
 * runs with their parameters. `events.ua` interns the HTTP user agent at ingest (NULL for other
 * events and for cases ingested before this version), so user-agent rules test each distinct agent
 * once instead of re-deriving it from millions of raw lines.
 */
export const migration0050: Migration = {
  version: 50,
  name: 'findings',
  sql: `
ALTER TABLE events ADD COLUMN ua INTEGER;

CREATE TABLE finding_runs (
  id INTEGER PRIMARY KEY,
  started_utc TEXT NOT NULL,
  finished_utc TEXT,
  params TEXT NOT NULL,
  summary TEXT
) STRICT;

CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES finding_runs (id),
  -- stable identity across runs: rule id plus the grouping key (e.g. the source IP)
  key TEXT NOT NULL UNIQUE,
  rule TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  first_ts INTEGER,
  last_ts INTEGER,
  count INTEGER NOT NULL,
  src_ips TEXT NOT NULL,
  users TEXT NOT NULL,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX findings_rank ON findings (category, severity);

CREATE TABLE finding_events (
  finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL,
  PRIMARY KEY (finding_id, event_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE finding_ips (
  ip TEXT NOT NULL,
  finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
  PRIMARY KEY (ip, finding_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE finding_users (
  user TEXT NOT NULL,
  finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
  PRIMARY KEY (user, finding_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE finding_reviews (
  key TEXT PRIMARY KEY,
  review TEXT NOT NULL CHECK (review IN ('unreviewed', 'confirmed', 'false_positive')),
  comment TEXT NOT NULL,
  actor TEXT NOT NULL,
  updated_utc TEXT NOT NULL
) STRICT;
`,
};
