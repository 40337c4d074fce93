import { EventFlag } from '../../../shared/domain/event-flags';
import type { WritableDb } from '../../db/connection/sql';
import { retimeEvidence } from '../../db/queries/evidence';

const YEAR_MS = 365.25 * 86_400_000;
const DAY_MS = 86_400_000;

/**
 * Year-less syslog takes its year from the file's modification time. When that time is not the
 * original one (a copy, a git checkout, an archive extracted without times), the inferred dates can
 * land years away from everything else in the case. If a file's inferred range overlaps none of the
 * case's dated events, but moving it by a whole number of years would, the year is taken from the
 * dated sources instead (reason `case_source`), and the evidence says so.
 */
export function alignYearsToCaseSources(db: WritableDb, ingestId: number): number {
  const candidates = db
    .prepare("SELECT id, first_ts, last_ts, year_base FROM evidence WHERE ingest_id = ? AND year_reason LIKE 'file_mtime%' AND first_ts IS NOT NULL AND year_base IS NOT NULL")
    .all(ingestId) as Array<{ id: number; first_ts: number; last_ts: number; year_base: number }>;
  if (candidates.length === 0) {
    // Nothing of this ingest has an inferred year (e.g. only access logs): no need to scan the events.
    return 0;
  }
  const dated = db
    .prepare(`SELECT min(ts) AS lo, max(ts) AS hi FROM events WHERE ts IS NOT NULL AND (flags & ${EventFlag.YearInferred}) = 0`)
    .get() as { lo: number | null; hi: number | null };
  if (dated.lo === null || dated.hi === null) {
    return 0;
  }
  const lo = dated.lo - DAY_MS;
  const hi = dated.hi + DAY_MS;
  let moved = 0;
  for (const c of candidates) {
    if (c.last_ts >= lo && c.first_ts <= hi) {
      continue;
    }
    let best: number | null = null;
    for (let k = 1; k <= 20 && best === null; k += 1) {
      for (const shift of [-k, k]) {
        if (c.last_ts + shift * YEAR_MS >= lo && c.first_ts + shift * YEAR_MS <= hi) {
          best = shift;
          break;
        }
      }
    }
    if (best === null) {
      continue;
    }
    const year = c.year_base + best;
    db.transaction(() => {
      retimeEvidence(db, { id: c.id, year });
      db.prepare(
        `UPDATE evidence SET year_reason = 'case_source',
           outcome_detail = trim(outcome_detail || ?) WHERE id = ?`,
      ).run(` Year ${year} taken from the dated sources of the case: the file's modification time suggested ${c.year_base}, which matches none of them.`, c.id);
    }).immediate();
    moved += 1;
  }
  return moved;
}
