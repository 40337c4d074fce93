import { useIsMutating } from '@tanstack/react-query';
import { useEffect } from 'react';

export type AppState = 'loading' | 'ready' | 'busy' | 'error';

/**
 * The readiness signal tests wait on: `<body data-app-state>` is 'loading' until the first data
 * arrived, 'busy' while a change is being saved, then 'ready'.
 */
export function useAppStateSignal(state: 'loading' | 'ready' | 'error'): void {
  const mutating = useIsMutating();
  const shown: AppState = state === 'ready' && mutating > 0 ? 'busy' : state;
  useEffect(() => {
    document.body.dataset['appState'] = shown;
  }, [shown]);
}
