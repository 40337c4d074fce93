import type { Cursor, TimelinePage } from '../../../shared/domain/timeline';

/** Rows per request, and how many pages stay loaded (older ones are dropped and re-read by cursor). */
export const PAGE_SIZE = 500;
export const MAX_PAGES = 8;

/** How a page was asked for: from the start of the filter, after a cursor, or before one. */
export type PageParam = Readonly<{ kind: 'start' }> | Readonly<{ kind: 'after'; cursor: Cursor }> | Readonly<{ kind: 'before'; cursor: Cursor }>;

export const START_PAGE: PageParam = { kind: 'start' };

/** The page after the last loaded one; undefined at the end of the view. */
export function nextPageParam(last: TimelinePage, lastParam: PageParam): PageParam | undefined {
  // a short page read forwards is the end; one read backwards says nothing about what follows it
  if (lastParam.kind !== 'before' && last.rows.length < PAGE_SIZE) {
    return undefined;
  }
  return last.next === null ? undefined : { kind: 'after', cursor: last.next };
}

/** The page before the first loaded one; undefined at the start of the view. */
export function previousPageParam(first: TimelinePage, firstParam: PageParam): PageParam | undefined {
  if (firstParam.kind === 'start' || (firstParam.kind === 'before' && first.rows.length < PAGE_SIZE)) {
    return undefined;
  }
  return first.prev === null ? undefined : { kind: 'before', cursor: first.prev };
}

/** The `timeline.page` cursor arguments for a page param. */
export function cursorArgs(param: PageParam): { after?: Cursor; before?: Cursor } {
  switch (param.kind) {
    case 'start':
      return {};
    case 'after':
      return { after: param.cursor };
    case 'before':
      return { before: param.cursor };
  }
}
