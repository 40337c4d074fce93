import type Database from 'better-sqlite3';

/** A connection that may only read. Query executors that do not write take this. */
export type ReadableDb = Database.Database & { readonly __readable: never };
/** A connection that may write. */
export type WritableDb = ReadableDb & { readonly __writable: never };

export function asWritable(db: Database.Database): WritableDb {
  return db as WritableDb;
}

/**
 * `stmt.run(...values)` for a statement with many parameters (a multi-row INSERT): the values bound as
 * arguments, not as one array. better-sqlite3 reads an array element by element through V8's generic
 * property access, which cost a quarter of the ingest writer's INSERT time (1M access rows, 64-row
 * statements: 1.49 against 1.14 CPU-s; docs/PERFORMANCE.md, session 10). `values` holds only
 * numbers, strings, bigints, buffers and nulls (an array or object among them would bind differently).
 */
export function bindRun(stmt: Database.Statement<unknown[]>, values: readonly unknown[]): Database.RunResult {
  return Reflect.apply(stmt.run, stmt, values) as Database.RunResult;
}

export type SqlValue = string | number | bigint | null | Buffer;
export type Sql = Readonly<{ text: string; params: ReadonlyArray<SqlValue> }>;

/**
 * Tagged template that keeps values out of SQL text: every `${value}` becomes a `?` parameter.
 * Nested `Sql` fragments are spliced in with their parameters. Identifiers must never be interpolated.
 */
export function sql(strings: TemplateStringsArray, ...values: ReadonlyArray<SqlValue | Sql>): Sql {
  let text = strings[0] ?? '';
  const params: SqlValue[] = [];
  values.forEach((value, i) => {
    if (value !== null && typeof value === 'object' && 'text' in value && 'params' in value) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1] ?? '';
  });
  return { text, params };
}

/** Joins fragments with a separator (e.g. ' AND '). */
export function joinSql(parts: ReadonlyArray<Sql>, separator: string): Sql {
  return {
    text: parts.map((p) => p.text).join(separator),
    params: parts.flatMap((p) => p.params),
  };
}

export function all<T>(db: ReadableDb, q: Sql): T[] {
  return db.prepare(q.text).all(...q.params) as T[];
}

export function get<T>(db: ReadableDb, q: Sql): T | undefined {
  return db.prepare(q.text).get(...q.params) as T | undefined;
}

export function run(db: WritableDb, q: Sql): Database.RunResult {
  return db.prepare(q.text).run(...q.params);
}
