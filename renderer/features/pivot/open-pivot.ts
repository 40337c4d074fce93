import type { PivotEntity, PivotKind } from '../../../shared/domain/pivot';
import type { TimelineFilter } from '../../../shared/domain/timeline';
import { DEFAULT_VIEW, hashForState } from '../timeline/view-state';

/**
 * Navigation to the pivot page from anywhere: the address `#/pivot?kind=ip&value=…` (the workspace
 * switches to the section a `#/<section>` address names; the pivot page reads its entity from it),
 * and back to the timeline with a filter (`#/timeline?v=…`, which the timeline reads on mount).
 */

const PREFIX = '#/pivot';
const KINDS: ReadonlyArray<PivotKind> = ['ip', 'user', 'pid', 'host'];

export type PivotTab = 'entity' | 'sessions';

export type PivotLocation = Readonly<{ entity: PivotEntity | null; tab: PivotTab }>;

export function isPivotKind(value: string): value is PivotKind {
  return (KINDS as ReadonlyArray<string>).includes(value);
}

/** The address of a pivot page (an entity, or the auth sessions tab). */
export function pivotHash(entity: PivotEntity | null, tab: PivotTab = 'entity'): string {
  const q = new URLSearchParams();
  if (entity !== null) {
    q.set('kind', entity.kind);
    q.set('value', entity.value);
  }
  if (tab !== 'entity') {
    q.set('tab', tab);
  }
  const s = q.toString();
  return s === '' ? PREFIX : `${PREFIX}?${s}`;
}

/** What a `#/pivot…` address asks for; null for any other address. Values are kept as given (bounded). */
export function parsePivotHash(hash: string): PivotLocation | null {
  if (hash !== PREFIX && !hash.startsWith(`${PREFIX}?`)) {
    return null;
  }
  const q = new URLSearchParams(hash.slice(PREFIX.length + 1));
  const kind = q.get('kind') ?? '';
  const value = (q.get('value') ?? '').slice(0, 256);
  const tab: PivotTab = q.get('tab') === 'sessions' ? 'sessions' : 'entity';
  return { entity: isPivotKind(kind) && value.trim() !== '' ? { kind, value } : null, tab };
}

/** Opens the pivot page on an entity (from any section: the workspace follows the address). */
export function openPivot(kind: PivotKind, value: string | number): void {
  window.location.hash = pivotHash({ kind, value: String(value) });
}

export function openSessions(): void {
  window.location.hash = pivotHash(null, 'sessions');
}

/** The timeline filter that shows an entity's events. */
export function entityFilter(entity: PivotEntity): TimelineFilter {
  switch (entity.kind) {
    case 'ip':
      return { srcIps: [entity.value.trim()] };
    case 'user':
      return { users: [entity.value] };
    case 'pid':
      return /^\d{1,10}$/u.test(entity.value.trim()) ? { pids: [Number(entity.value.trim())] } : {};
    case 'host':
      return { hosts: [entity.value.trim()] };
  }
}

/** Shows the timeline with this filter. */
export function openTimeline(filter: TimelineFilter): void {
  window.location.hash = hashForState({ ...DEFAULT_VIEW, filter });
}
