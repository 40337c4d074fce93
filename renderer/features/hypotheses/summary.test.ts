import { describe, expect, it } from 'vitest';
import type { Hypothesis } from '../../../shared/domain/hypotheses';
import { byStance, describeExpectation, tally } from './summary';

const base: Hypothesis = { id: 1, statement: 's', rationale: '', status: 'open', confidence: 50, author: 'a', createdUtc: '', updatedUtc: '', predictions: [], evidence: [] };
const link = (id: number, stance: 'supports' | 'refutes' | 'context') => ({ id, hypothesisId: 1, targetKind: 'event' as const, targetId: String(id), label: '', stance, comment: '', createdUtc: '', author: 'a' });
const prediction = (id: number, result: 'met' | 'not_met' | 'unknown') => ({ id, hypothesisId: 1, statement: '', viewId: 1, viewName: 'v', expectation: { kind: 'none' as const }, count: 0, result });

describe('hypothesis summaries', () => {
  it('counts prediction results and evidence by stance', () => {
    const h = { ...base, predictions: [prediction(1, 'met'), prediction(2, 'not_met'), prediction(3, 'met'), prediction(4, 'unknown')], evidence: [link(1, 'supports'), link(2, 'refutes'), link(3, 'supports')] };
    expect(tally(h)).toEqual({ met: 2, notMet: 1, unknown: 1, predictions: 4, evidence: { supports: 2, refutes: 1, context: 0 } });
    expect(byStance(h.evidence).map((g) => [g.stance, g.links.length])).toEqual([['supports', 2], ['refutes', 1]]);
  });

  it('describes expectations', () => {
    expect(describeExpectation({ kind: 'at_least_one' })).toBe('at least one event');
    expect(describeExpectation({ kind: 'none' })).toBe('no events');
    expect(describeExpectation({ kind: 'between', min: 2, max: 5 })).toBe('between 2 and 5 events');
    expect(describeExpectation({ kind: 'between', min: 3, max: 3 })).toBe('exactly 3 events');
  });
});
