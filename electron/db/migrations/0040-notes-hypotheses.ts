import type { Migration } from './types';

/**
 * Case notes (Markdown), hypotheses with their predictions (each bound to a saved view and an
 * expected count) and evidence links (events, views, findings, notes; supports / refutes / context).
 * Every change is audited by the service; a hypothesis's history is its audit entries
 * (target `hypothesis:<id>`), which the index on audit.target serves.
 */
export const migration0040: Migration = {
  version: 40,
  name: 'notes-hypotheses',
  sql: `
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  folder TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL,
  created_utc TEXT NOT NULL,
  updated_utc TEXT NOT NULL
) STRICT;
CREATE INDEX notes_folder ON notes (folder, title);

CREATE TABLE hypotheses (
  id INTEGER PRIMARY KEY,
  statement TEXT NOT NULL,
  rationale TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'supported', 'refuted', 'inconclusive')),
  confidence INTEGER NOT NULL DEFAULT 50 CHECK (confidence BETWEEN 0 AND 100),
  author TEXT NOT NULL,
  created_utc TEXT NOT NULL,
  updated_utc TEXT NOT NULL
) STRICT;

CREATE TABLE predictions (
  id INTEGER PRIMARY KEY,
  hypothesis_id INTEGER NOT NULL REFERENCES hypotheses (id) ON DELETE CASCADE,
  statement TEXT NOT NULL,
  view_id INTEGER REFERENCES saved_views (id) ON DELETE SET NULL,
  expectation TEXT NOT NULL,
  created_utc TEXT NOT NULL,
  updated_utc TEXT NOT NULL
) STRICT;
CREATE INDEX predictions_hypothesis ON predictions (hypothesis_id);
CREATE INDEX predictions_view ON predictions (view_id);

CREATE TABLE evidence_links (
  id INTEGER PRIMARY KEY,
  hypothesis_id INTEGER NOT NULL REFERENCES hypotheses (id) ON DELETE CASCADE,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('event', 'view', 'hypothesis', 'finding', 'note', 'restart', 'panel')),
  target_id TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  stance TEXT NOT NULL CHECK (stance IN ('supports', 'refutes', 'context')),
  comment TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL,
  created_utc TEXT NOT NULL,
  UNIQUE (hypothesis_id, target_kind, target_id)
) STRICT;
CREATE INDEX evidence_links_target ON evidence_links (target_kind, target_id);

CREATE INDEX audit_target ON audit (target);
`,
};
