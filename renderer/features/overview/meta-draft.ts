import type { CaseMetaFields, CaseSummary } from '../../../shared/domain/case';

/** The metadata form's state: every field as text. */
export type Draft = Readonly<Record<keyof CaseMetaFields, string>>;

export function draftOf(s: CaseSummary): Draft {
  return { name: s.name, number: s.number, examiner: s.examiner, description: s.description, timeZone: s.timeZone, classification: s.classification };
}

/** The fields the analyst really changed (single-line fields compared trimmed; the description as typed). */
export function changedFields(before: Draft, after: Draft): Partial<Record<keyof CaseMetaFields, string>> {
  const patch: Partial<Record<keyof CaseMetaFields, string>> = {};
  for (const key of Object.keys(before) as Array<keyof CaseMetaFields>) {
    const value = key === 'description' ? after[key] : after[key].trim();
    if (value !== before[key]) {
      patch[key] = value;
    }
  }
  return patch;
}
