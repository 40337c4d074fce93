import type { Migration } from './types';

/** Tags, stars and comments on events, and saved timeline views. Every change is audited by the service. */
export const migration0030: Migration = {
  version: 30,
  name: 'annotations',
  sql: `
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  color TEXT NOT NULL DEFAULT '#2d72d2',
  created_utc TEXT NOT NULL
) STRICT;

CREATE TABLE event_tags (
  event_id INTEGER NOT NULL,
  tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  created_utc TEXT NOT NULL,
  PRIMARY KEY (event_id, tag_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_tags_tag ON event_tags (tag_id, event_id);

CREATE TABLE event_stars (
  event_id INTEGER PRIMARY KEY,
  created_utc TEXT NOT NULL
) STRICT;

CREATE TABLE comments (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL,
  body TEXT NOT NULL,
  author TEXT NOT NULL,
  created_utc TEXT NOT NULL,
  updated_utc TEXT NOT NULL
) STRICT;
CREATE INDEX comments_event ON comments (event_id);

CREATE TABLE saved_views (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  state TEXT NOT NULL,
  created_utc TEXT NOT NULL,
  updated_utc TEXT NOT NULL
) STRICT;
`,
};
