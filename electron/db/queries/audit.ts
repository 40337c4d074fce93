import { createHash } from 'node:crypto';
import type { AuditEntry, AuditVerification } from '../../../shared/domain/case';
import type { ReadableDb, WritableDb } from '../connection/sql';

export const GENESIS_HASH = '0'.repeat(64);

type AuditRow = Readonly<{
  seq: number;
  at_utc: string;
  actor: string;
  action: string;
  target: string;
  details: string;
  prev_hash: string;
  hash: string;
}>;

/** The hash of an entry covers every field and the previous entry's hash (JSON array: unambiguous). */
export function auditEntryHash(e: Readonly<{ seq: number; atUtc: string; actor: string; action: string; target: string; details: string; prevHash: string }>): string {
  return createHash('sha256')
    .update(JSON.stringify([e.prevHash, e.seq, e.atUtc, e.actor, e.action, e.target, e.details]))
    .digest('hex');
}

function toEntry(r: AuditRow): AuditEntry {
  return { seq: r.seq, atUtc: r.at_utc, actor: r.actor, action: r.action, target: r.target, details: r.details, prevHash: r.prev_hash, hash: r.hash };
}

export type AuditInput = Readonly<{ actor: string; action: string; target: string; details?: unknown; atUtc?: string }>;

/** Appends one entry, chained to the last. Call inside the transaction of the change it records. */
export function appendAudit(db: WritableDb, input: AuditInput): AuditEntry {
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const atUtc = input.atUtc ?? new Date().toISOString();
  const details = input.details === undefined ? '' : typeof input.details === 'string' ? input.details : JSON.stringify(input.details);
  const entry = { seq, atUtc, actor: input.actor, action: input.action, target: input.target, details, prevHash };
  const hash = auditEntryHash(entry);
  db.prepare('INSERT INTO audit (seq, at_utc, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    seq, atUtc, entry.actor, entry.action, entry.target, details, prevHash, hash,
  );
  return { ...entry, hash };
}

export function listAudit(db: ReadableDb, limit: number, beforeSeq?: number): { entries: AuditEntry[]; total: number } {
  const rows = (
    beforeSeq === undefined
      ? db.prepare('SELECT * FROM audit ORDER BY seq DESC LIMIT ?').all(limit)
      : db.prepare('SELECT * FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?').all(beforeSeq, limit)
  ) as AuditRow[];
  const total = (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
  return { entries: rows.map(toEntry), total };
}

/** Walks the whole chain: each entry's hash must match its content and link to the one before. */
export function verifyAudit(db: ReadableDb): AuditVerification {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let length = 0;
  for (const r of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    length += 1;
    const e = toEntry(r);
    if (e.seq !== expectedSeq) {
      return { ok: false, length, headHash: prev, brokenAt: e.seq, reason: `entry ${expectedSeq} is missing (found ${e.seq})` };
    }
    if (e.prevHash !== prev) {
      return { ok: false, length, headHash: prev, brokenAt: e.seq, reason: `entry ${e.seq} does not link to entry ${e.seq - 1}` };
    }
    if (auditEntryHash(e) !== e.hash) {
      return { ok: false, length, headHash: prev, brokenAt: e.seq, reason: `entry ${e.seq} was altered after it was written` };
    }
    prev = e.hash;
    expectedSeq += 1;
  }
  return { ok: true, length, headHash: prev, brokenAt: null, reason: null };
}
