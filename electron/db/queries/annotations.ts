import type { SavedView, Tag } from '../../../shared/domain/timeline';
import type { ReadableDb, WritableDb } from '../connection/sql';

export function listTags(db: ReadableDb): Tag[] {
  return db
    .prepare('SELECT t.id, t.name, t.color, (SELECT count(*) FROM event_tags et WHERE et.tag_id = t.id) AS count FROM tags t ORDER BY t.name COLLATE NOCASE')
    .all() as Tag[];
}

export function ensureTag(db: WritableDb, name: string, color: string | undefined, nowUtc: string): { id: number; created: boolean } {
  const existing = db.prepare('SELECT id FROM tags WHERE name = ?').get(name) as { id: number } | undefined;
  if (existing !== undefined) {
    if (color !== undefined) {
      db.prepare('UPDATE tags SET color = ? WHERE id = ?').run(color, existing.id);
    }
    return { id: existing.id, created: false };
  }
  const id = Number(db.prepare('INSERT INTO tags (name, color, created_utc) VALUES (?, ?, ?)').run(name, color ?? '#2d72d2', nowUtc).lastInsertRowid);
  return { id, created: true };
}

/** Adds or removes a tag on events; returns how many changed. */
export function setTag(db: WritableDb, eventIds: ReadonlyArray<number>, tagId: number, on: boolean, nowUtc: string): number {
  const stmt = on
    ? db.prepare('INSERT OR IGNORE INTO event_tags (event_id, tag_id, created_utc) SELECT id, ?, ? FROM events WHERE id = ?')
    : db.prepare('DELETE FROM event_tags WHERE tag_id = ? AND event_id = ?');
  let changed = 0;
  for (const id of eventIds) {
    changed += (on ? stmt.run(tagId, nowUtc, id) : stmt.run(tagId, id)).changes;
  }
  return changed;
}

export function setStar(db: WritableDb, eventIds: ReadonlyArray<number>, on: boolean, nowUtc: string): number {
  const stmt = on
    ? db.prepare('INSERT OR IGNORE INTO event_stars (event_id, created_utc) SELECT id, ? FROM events WHERE id = ?')
    : db.prepare('DELETE FROM event_stars WHERE event_id = ?');
  let changed = 0;
  for (const id of eventIds) {
    changed += (on ? stmt.run(nowUtc, id) : stmt.run(id)).changes;
  }
  return changed;
}

export type CommentRow = { id: number; eventId: number; body: string; author: string; createdUtc: string; updatedUtc: string };

export function listComments(db: ReadableDb, eventId: number): CommentRow[] {
  return db
    .prepare('SELECT id, event_id AS eventId, body, author, created_utc AS createdUtc, updated_utc AS updatedUtc FROM comments WHERE event_id = ? ORDER BY id')
    .all(eventId) as CommentRow[];
}

export function addComment(db: WritableDb, eventId: number, body: string, author: string, nowUtc: string): number {
  return Number(db.prepare('INSERT INTO comments (event_id, body, author, created_utc, updated_utc) VALUES (?, ?, ?, ?, ?)').run(eventId, body, author, nowUtc, nowUtc).lastInsertRowid);
}

export function listViews(db: ReadableDb): SavedView[] {
  return db.prepare('SELECT id, name, state, created_utc AS createdUtc, updated_utc AS updatedUtc FROM saved_views ORDER BY name COLLATE NOCASE').all() as SavedView[];
}

export function saveView(db: WritableDb, name: string, state: string, nowUtc: string): { id: number; created: boolean } {
  const existing = db.prepare('SELECT id FROM saved_views WHERE name = ?').get(name) as { id: number } | undefined;
  if (existing !== undefined) {
    db.prepare('UPDATE saved_views SET state = ?, updated_utc = ? WHERE id = ?').run(state, nowUtc, existing.id);
    return { id: existing.id, created: false };
  }
  return { id: Number(db.prepare('INSERT INTO saved_views (name, state, created_utc, updated_utc) VALUES (?, ?, ?, ?)').run(name, state, nowUtc, nowUtc).lastInsertRowid), created: true };
}

export function deleteView(db: WritableDb, id: number): number {
  return db.prepare('DELETE FROM saved_views WHERE id = ?').run(id).changes;
}
