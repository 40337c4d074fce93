import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../app/api-context';
import { hashNumber } from '../../app/navigation';
import { toastError } from '../../app/toaster';
import { timelineKeys } from './use-timeline-data';
import { parseViewState, type ViewState } from './view-state';

/** How much time around a jumped-to event the timeline shows (each side). */
export const JUMP_WINDOW_MS = 5 * 60_000;

/**
 * Follows in-app addresses into the timeline (renderer/app/navigation.ts): `#/timeline?event=<id>`
 * opens the event's detail and shows the minutes around it; `#/timeline?view=<id>` opens a saved
 * view. Read at mount (before the timeline rewrites the address to its own state) and on every
 * later address change.
 */
export function useTimelineJump(
  casePath: string,
  current: Pick<ViewState, 'zone' | 'groupBy'>,
  applyView: (state: ViewState) => void,
  openEvent: (id: number) => void,
): void {
  const api = useApi();
  const client = useQueryClient();
  const [initialHash] = useState(() => window.location.hash);
  const latest = useRef({ current, applyView, openEvent });
  useEffect(() => {
    latest.current = { current, applyView, openEvent };
  });

  useEffect(() => {
    let alive = true;
    async function follow(hash: string): Promise<void> {
      const eventId = hashNumber(hash, 'event');
      const viewId = hashNumber(hash, 'view');
      if (eventId !== null) {
        latest.current.openEvent(eventId);
        const detail = await client.fetchQuery({ queryKey: timelineKeys.detail(casePath, eventId), queryFn: () => api['events.detail']({ id: eventId }) });
        const ts = detail.row.ts;
        if (alive && ts !== null) {
          const { zone, groupBy } = latest.current.current;
          latest.current.applyView({ filter: { from: ts - JUMP_WINDOW_MS, to: ts + JUMP_WINDOW_MS }, zone, groupBy });
        }
      } else if (viewId !== null) {
        const views = await client.fetchQuery({ queryKey: timelineKeys.views(casePath), queryFn: () => api['views.list']({}) });
        const view = views.find((v) => v.id === viewId);
        const state = view === undefined ? null : parseViewState(view.state);
        if (!alive) {
          return;
        }
        if (state === null) {
          throw new Error(view === undefined ? `The saved view #${viewId} no longer exists.` : `The view "${view.name}" could not be read.`);
        }
        latest.current.applyView(state);
      }
    }
    const run = (hash: string) => void follow(hash).catch((e: unknown) => void toastError(e, 'Could not jump there'));
    run(initialHash);
    const onHashChange = () => run(window.location.hash);
    window.addEventListener('hashchange', onHashChange);
    return () => {
      alive = false;
      window.removeEventListener('hashchange', onHashChange);
    };
  }, [api, client, casePath, initialHash]);
}
