import Database from 'better-sqlite3';
import { asWritable, type ReadableDb } from './connection/sql';
import { RETIRED_TIMELINE_INDEXES, TIMELINE_INDEXES, indexSqlAt } from './indexes';
import { migrate } from './migrations/index';

type SchemaObject = Readonly<{ type: string; name: string; sql: string | null }>;

const cache = new Map<number, Map<string, string | null>>();

/** The schema objects a case of this version may hold: what the migrations create, plus the timeline indexes (of that version). */
export function expectedSchema(version: number): Map<string, string | null> {
  const cached = cache.get(version);
  if (cached !== undefined) {
    return cached;
  }
  const mem = new Database(':memory:');
  try {
    migrate(asWritable(mem), version);
    if (mem.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'events'").get() !== undefined) {
      for (const ix of [...TIMELINE_INDEXES, ...RETIRED_TIMELINE_INDEXES.filter((r) => r.droppedIn > version)]) {
        mem.exec(indexSqlAt(ix.sql, version));
      }
    }
    mem.exec('ANALYZE');
    const map = new Map((mem.prepare('SELECT type, name, sql FROM sqlite_schema').all() as SchemaObject[]).map((o) => [`${o.type} ${o.name}`, o.sql]));
    cache.set(version, map);
    return map;
  } finally {
    mem.close();
  }
}

/** Objects SQLite itself may add (planner statistics). */
function isSqliteInternal(name: string): boolean {
  return /^sqlite_stat\d$/u.test(name) || name.startsWith('sqlite_autoindex_');
}

/**
 * Compares a case's schema with the one Dossier creates for its version. A shared case file could
 * carry its own triggers or views (plain SQL runs even with trusted_schema=OFF): any object Dossier
 * did not create, or one whose definition differs, is reported. Returns null when the schema holds.
 */
export function schemaDifference(db: ReadableDb, version: number): string | null {
  const expected = expectedSchema(version);
  const actual = db.prepare('SELECT type, name, sql FROM sqlite_schema').all() as SchemaObject[];
  for (const o of actual) {
    if (isSqliteInternal(o.name)) {
      continue;
    }
    const key = `${o.type} ${o.name}`;
    if (!expected.has(key)) {
      return `it holds a ${o.type} "${o.name}" that Dossier did not create`;
    }
    if ((expected.get(key) ?? null) !== o.sql) {
      return `the definition of ${o.type} "${o.name}" was changed`;
    }
  }
  const present = new Set(actual.map((o) => `${o.type} ${o.name}`));
  for (const [key] of expected) {
    const name = key.slice(key.indexOf(' ') + 1);
    if (!present.has(key) && !isSqliteInternal(name) && ![...TIMELINE_INDEXES, ...RETIRED_TIMELINE_INDEXES].some((ix) => ix.name === name)) {
      return `${key} is missing`;
    }
  }
  return null;
}
