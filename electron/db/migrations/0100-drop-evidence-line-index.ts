import type { Migration } from './types';

/**
 * The `(evidence_id, line_no)` index goes: the events of an evidence are found by its id range
 * (`evidence.first_event_id` .. `last_event_id`, db/queries/evidence-rows.ts). Building it took 1.1-1.6 s
 * of a 5M-line ingest (docs/PERFORMANCE.md, session 6). Cases made before keep their events; only the
 * index is dropped.
 */
export const migration0100: Migration = {
  version: 100,
  name: 'drop-evidence-line-index',
  sql: `
DROP INDEX IF EXISTS events_evidence_line;
`,
};
