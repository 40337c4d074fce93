import type { Migration } from './types';

/** Case metadata, the hash-chained audit log, and the bookkeeping of migrations themselves. */
export const migration0010: Migration = {
  version: 10,
  name: 'initial-schema',
  sql: `
CREATE TABLE case_info (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  number TEXT NOT NULL DEFAULT '',
  examiner TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  classification TEXT NOT NULL DEFAULT '',
  created_utc TEXT NOT NULL,
  modified_utc TEXT NOT NULL,
  created_by_version TEXT NOT NULL
) STRICT;

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at_utc TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`,
};
