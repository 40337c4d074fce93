import { describe, expect, it } from 'vitest';
import { changedFields, type Draft } from './meta-draft';

const base: Draft = { name: 'A', number: '1', examiner: 'E', description: 'd', timeZone: 'UTC', classification: '' };

describe('changedFields', () => {
  it('is empty when nothing changed (trailing spaces ignored on single-line fields)', () => {
    expect(changedFields(base, { ...base, name: ' A ' })).toEqual({});
  });
  it('lists only the changed fields', () => {
    expect(changedFields(base, { ...base, examiner: 'F ', timeZone: 'Europe/Zurich', description: 'd\n' })).toEqual({
      examiner: 'F',
      timeZone: 'Europe/Zurich',
      description: 'd\n',
    });
  });
});
