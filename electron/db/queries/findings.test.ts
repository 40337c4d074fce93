import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distinctSorted } from './findings';

describe('distinctSorted (the event ids of a finding as stored)', () => {
  it('gives the distinct ids in ascending order', () => {
    expect([...distinctSorted([5, 3, 5, 1, 3, 9])]).toEqual([1, 3, 5, 9]);
    expect([...distinctSorted([])]).toEqual([]);
    expect([...distinctSorted([7])]).toEqual([7]);
  });

  it('matches a Set sorted numerically, on random ids (large ones too)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(50), fc.maxSafeNat())), (ids) => {
        expect([...distinctSorted(ids)]).toEqual([...new Set(ids)].sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });
});
