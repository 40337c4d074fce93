import { describe, expect, it } from 'vitest';
import { viewReducer } from './use-timeline-view';

const base = { view: { filter: { hosts: ['shop'] }, zone: 'case' as const, groupBy: 'sourceKind' as const }, zoomStack: [] };

describe('view reducer (zoom stack)', () => {
  it('zooms in and back', () => {
    const a = viewReducer(base, { type: 'zoomTo', from: 100, to: 200 });
    expect(a.view.filter).toEqual({ hosts: ['shop'], from: 100, to: 200 });
    const b = viewReducer(a, { type: 'zoomTo', from: 120, to: 130 });
    expect(viewReducer(b, { type: 'zoomBack' }).view.filter).toEqual({ hosts: ['shop'], from: 100, to: 200 });
    expect(viewReducer(viewReducer(b, { type: 'zoomBack' }), { type: 'zoomBack' }).view.filter).toEqual({ hosts: ['shop'] });
    expect(viewReducer(base, { type: 'zoomBack' })).toBe(base);
  });
  it('zooms out three times wider, to the whole range past the data', () => {
    const a = viewReducer(base, { type: 'zoomTo', from: 1000, to: 2000 });
    expect(viewReducer(a, { type: 'zoomOut', extent: { from: 0, to: 100_000 } }).view.filter).toMatchObject({ from: 0, to: 3000 });
    expect(viewReducer(a, { type: 'zoomOut', extent: { from: 500, to: 2500 } }).view.filter).toEqual({ hosts: ['shop'] });
  });
  it('applies a saved view and forgets the zoom stack', () => {
    const a = viewReducer(base, { type: 'zoomTo', from: 1, to: 2 });
    const b = viewReducer(a, { type: 'apply', view: { filter: { users: ['root'] }, zone: 'utc', groupBy: 'severity' } });
    expect(b).toEqual({ view: { filter: { users: ['root'] }, zone: 'utc', groupBy: 'severity' }, zoomStack: [] });
  });
});
