import { describe, expect, it } from 'vitest';
import type { TimelinePage } from '../../../shared/domain/timeline';
import { cursorArgs, nextPageParam, PAGE_SIZE, previousPageParam, START_PAGE } from './paging';

function page(n: number): TimelinePage {
  return { rows: Array.from({ length: n }, () => ({}) as TimelinePage['rows'][number]), next: n === 0 ? null : { ts: 9, id: 9 }, prev: n === 0 ? null : { ts: 1, id: 1 }, searchComplete: true, elapsedMs: 1 };
}

describe('keyset paging', () => {
  it('continues after a full page, stops after a short one', () => {
    expect(nextPageParam(page(PAGE_SIZE), START_PAGE)).toEqual({ kind: 'after', cursor: { ts: 9, id: 9 } });
    expect(nextPageParam(page(3), START_PAGE)).toBeUndefined();
    expect(nextPageParam(page(3), { kind: 'after', cursor: { ts: 1, id: 1 } })).toBeUndefined();
    // a short page read backwards is the start of the view, not its end
    expect(nextPageParam(page(3), { kind: 'before', cursor: { ts: 1, id: 1 } })).toEqual({ kind: 'after', cursor: { ts: 9, id: 9 } });
  });
  it('goes back only from a page that did not start the view', () => {
    expect(previousPageParam(page(PAGE_SIZE), START_PAGE)).toBeUndefined();
    expect(previousPageParam(page(PAGE_SIZE), { kind: 'after', cursor: { ts: 0, id: 0 } })).toEqual({ kind: 'before', cursor: { ts: 1, id: 1 } });
    expect(previousPageParam(page(3), { kind: 'before', cursor: { ts: 1, id: 1 } })).toBeUndefined();
    expect(previousPageParam(page(0), { kind: 'after', cursor: { ts: 0, id: 0 } })).toBeUndefined();
  });
  it('turns params into cursor arguments', () => {
    expect(cursorArgs(START_PAGE)).toEqual({});
    expect(cursorArgs({ kind: 'before', cursor: { ts: null, id: 3 } })).toEqual({ before: { ts: null, id: 3 } });
  });
});
