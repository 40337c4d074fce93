import { describe, expect, it } from 'vitest';
import { compactFilter, hashForState, isTimelineHash, parseViewState, serializeViewState, stateFromHash, type ViewState } from './view-state';

const STATE: ViewState = {
  filter: { from: 1, to: 2, text: '"Failed password" OR ünïcode', srcIps: ['198.51.100.0/24'], statuses: ['4xx', 500], tagged: true },
  zone: 'utc',
  groupBy: 'severity',
};

describe('view state', () => {
  it('round-trips through the URL hash (base64url, UTF-8)', () => {
    const hash = hashForState(STATE);
    expect(hash).toMatch(/^#\/timeline\?v=[\w-]+$/u);
    expect(isTimelineHash(hash)).toBe(true);
    expect(stateFromHash(hash)).toEqual(STATE);
  });
  it('round-trips through a saved view, with columns', () => {
    const withColumns: ViewState = { ...STATE, columns: { visible: ['time', 'message'], sizes: { message: 300 } } };
    expect(parseViewState(serializeViewState(withColumns))).toEqual(withColumns);
  });
  it('rejects what is not a view', () => {
    expect(stateFromHash('#/evidence')).toBeNull();
    expect(stateFromHash('#/timeline?v=!!!')).toBeNull();
    expect(parseViewState('not json')).toBeNull();
    expect(parseViewState('{"v":2,"filter":{}}')).toBeNull();
    expect(parseViewState('{"v":1,"filter":{"evil":1}}')).toBeNull();
    // unknown zone or grouping fall back instead of failing the whole view
    expect(parseViewState('{"v":1,"filter":{},"zone":"mars","groupBy":"x"}')).toEqual({ filter: {}, zone: 'case', groupBy: 'sourceKind' });
  });
  it('drops empty parts of a filter', () => {
    expect(compactFilter({ hosts: [], text: '  ', tagged: false, starred: true, from: 0 })).toEqual({ starred: true, from: 0 });
  });
});
