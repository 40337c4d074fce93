import type { Migration } from './types';

/**
 * An HTTP request's message is rebuilt from its row instead of being stored (db/request-message.ts).
 * The rows move to `event_rows`, where the stored text becomes `msg` and a code `rq` says how to
 * rebuild the message; `events` becomes a view with the columns of the old table, `message` computed,
 * which every reader (and the full-text index, whose content table is `events`) reads as before.
 * Writers (ingest, re-timing, removal) write `event_rows`. Rows written before keep their text in
 * `msg` with `rq` NULL: nothing is rewritten, and the indexes follow the table (SQLite renames their
 * table in their definitions, which is why indexes.ts spells it `"event_rows"`).
 *
 * Why a view and not a generated column: SQLite computes generated columns, virtual ones included,
 * on every INSERT (docs/PERFORMANCE.md, session 7), which cost more than storing the text.
 *
 * The method and protocol tables are frozen here, code for code (REQUEST_METHODS and
 * REQUEST_PROTOCOLS; a test compares them).
 */
export const migration0110: Migration = {
  version: 110,
  name: 'derived-request-message',
  sql: `
ALTER TABLE events RENAME TO event_rows;
ALTER TABLE event_rows RENAME COLUMN message TO msg;
ALTER TABLE event_rows ADD COLUMN rq INTEGER;
CREATE VIEW events AS SELECT id, evidence_id, line_no, byte_offset, ts, tz_off, flags, kind, sev, host, program, pid, tid,
  src_ip, src_port, user, method, path, status, bytes,
  CASE WHEN rq IS NULL THEN msg ELSE
  CASE rq & 15 WHEN 1 THEN 'GET' WHEN 2 THEN 'POST' WHEN 3 THEN 'HEAD' WHEN 4 THEN 'PUT' WHEN 5 THEN 'DELETE'
    WHEN 6 THEN 'OPTIONS' WHEN 7 THEN 'PATCH' WHEN 8 THEN 'CONNECT' WHEN 9 THEN 'TRACE' WHEN 10 THEN 'PROPFIND' END
  || ' ' || path || CASE WHEN rq & 256 THEN '?' || msg ELSE '' END || ' ' ||
  CASE (rq >> 4) & 15 WHEN 1 THEN 'HTTP/1.1' WHEN 2 THEN 'HTTP/1.0' WHEN 3 THEN 'HTTP/2.0' WHEN 4 THEN 'HTTP/2'
    WHEN 5 THEN 'HTTP/3' WHEN 6 THEN 'HTTP/0.9' END
  || ' (' || status || ')' END AS message,
  extra, ua
FROM event_rows;
`,
};
