import { useState } from 'react';

/**
 * Local edit state that follows its saved value: while the saved value stays the same the draft
 * is the analyst's; when it changes (saved, or changed elsewhere) the draft starts from it again.
 */
export function useDraft<T>(saved: T): [T, (draft: T) => void] {
  const [state, setState] = useState({ saved, draft: saved });
  if (!Object.is(state.saved, saved)) {
    setState({ saved, draft: saved });
    return [saved, (draft) => setState((s) => ({ ...s, draft }))];
  }
  return [state.draft, (draft) => setState((s) => ({ ...s, draft }))];
}
