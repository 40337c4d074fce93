import type { CaseMetaFields, CaseMetaPatch } from '../../../shared/domain/case';
import type { ReadableDb, WritableDb } from '../connection/sql';

export type CaseInfoRow = Readonly<{
  name: string;
  number: string;
  examiner: string;
  description: string;
  time_zone: string;
  classification: string;
  created_utc: string;
  modified_utc: string;
  created_by_version: string;
}>;

export function getCaseInfo(db: ReadableDb): CaseInfoRow {
  const row = db.prepare('SELECT * FROM case_info WHERE id = 1').get() as CaseInfoRow | undefined;
  if (row === undefined) {
    throw new Error('case_info row missing');
  }
  return row;
}

const COLUMN: Readonly<Record<keyof CaseMetaFields, string>> = {
  name: 'name',
  number: 'number',
  examiner: 'examiner',
  description: 'description',
  timeZone: 'time_zone',
  classification: 'classification',
};

/** Updates the given fields; returns the fields that really changed with their old and new values. */
export function updateCaseInfo(
  db: WritableDb,
  patch: CaseMetaPatch,
  nowUtc: string,
): Record<string, { from: string; to: string }> {
  const current = getCaseInfo(db);
  const changes: Record<string, { from: string; to: string }> = {};
  for (const key of Object.keys(COLUMN) as Array<keyof CaseMetaFields>) {
    const value = patch[key];
    const column = COLUMN[key];
    const old = current[column as keyof CaseInfoRow];
    if (value !== undefined && value !== old) {
      // column names come from the closed COLUMN map above, never from input
      db.prepare(`UPDATE case_info SET ${column} = ? WHERE id = 1`).run(value);
      changes[key] = { from: old, to: value };
    }
  }
  if (Object.keys(changes).length > 0) {
    db.prepare('UPDATE case_info SET modified_utc = ? WHERE id = 1').run(nowUtc);
  }
  return changes;
}
