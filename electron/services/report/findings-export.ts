/** Findings as JSON (the shared shape, one array) or CSV (formula-neutralised cells). */
import type { Finding } from '../../../shared/domain/findings';
import { csvRow } from '../../core/export/csv';

export const FINDING_COLUMNS = ['id', 'rule', 'title', 'category', 'severity', 'first', 'last', 'count', 'src_ips', 'users', 'review', 'review_comment', 'description', 'sample_event_ids'] as const;

const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());

export function findingsCsv(findings: ReadonlyArray<Finding>): string {
  return (
    csvRow(FINDING_COLUMNS) +
    findings
      .map((f) =>
        csvRow([f.id, f.rule, f.title, f.category, f.severity, iso(f.first), iso(f.last), f.count, f.srcIps.join(' '), f.users.join(' '), f.review, f.reviewComment, f.description, f.sampleEventIds.join(' ')]),
      )
      .join('')
  );
}

export function findingsJson(findings: ReadonlyArray<Finding>): string {
  return `${JSON.stringify(findings.map((f) => ({ ...f, firstUtc: f.first === null ? null : iso(f.first), lastUtc: f.last === null ? null : iso(f.last) })), null, 2)}\n`;
}
