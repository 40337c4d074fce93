import { useIsFetching, useIsMutating } from '@tanstack/react-query';
import { useEffect } from 'react';

export type AppState = 'loading' | 'ready' | 'busy' | 'error';

/**
 * The readiness signal tests wait on: `<body data-app-state>` is 'loading' until the first data
 * arrived, 'busy' while a change is being saved, then 'ready'. `<body data-fetching>` counts the
 * queries in flight, so a test can wait for a panel's data without relying on network idleness
 * (the Server-Sent Events stream stays open for the life of the page).
 */
export function useAppStateSignal(state: 'loading' | 'ready' | 'error'): void {
  const mutating = useIsMutating();
  const fetching = useIsFetching();
  const shown: AppState = state === 'ready' && mutating > 0 ? 'busy' : state;
  useEffect(() => {
    document.body.dataset['appState'] = shown;
  }, [shown]);
  useEffect(() => {
    document.body.dataset['fetching'] = String(fetching);
  }, [fetching]);
}
