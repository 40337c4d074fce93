/** A schema migration: plain SQL, applied once, never edited after it ships (its hash is recorded). */
export type Migration = Readonly<{ version: number; name: string; sql: string }>;
