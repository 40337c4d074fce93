import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { CaseSummary } from '../../../shared/domain/case';
import type { TimelineFilter } from '../../../shared/domain/timeline';
import { useApi } from '../../app/api-context';
import { DEFAULT_VIEW, hashForState } from '../timeline/view-state';

/** Query keys carry the case and its counts: an ingest that adds evidence refreshes every list. */
const caseKey = (summary: CaseSummary) => [summary.path, summary.counts.evidence, summary.counts.events] as const;

export type ChangesParams = Readonly<{ baselineId?: number; currentId?: number; baselineTimeMs?: number }>;

export function useFileChanges(summary: CaseSummary, params: ChangesParams) {
  const api = useApi();
  return useQuery({
    queryKey: ['files', 'changes', ...caseKey(summary), params],
    queryFn: () => api['files.changes']({ ...params }),
    placeholderData: keepPreviousData,
  });
}

export type ActivityParams = Readonly<{ at?: number; windowMs: number; pathContains?: string }>;

export function useFileActivity(summary: CaseSummary, params: ActivityParams) {
  const api = useApi();
  return useQuery({
    queryKey: ['files', 'activity', ...caseKey(summary), params],
    queryFn: () => api['files.activity']({ ...params, buckets: 24, limit: 500 }),
    placeholderData: keepPreviousData,
  });
}

export function useStraceSummary(summary: CaseSummary) {
  const api = useApi();
  return useQuery({ queryKey: ['files', 'strace', ...caseKey(summary)], queryFn: () => api['files.strace']({ limit: 200 }) });
}

/** Opens the timeline on `filter`: the timeline reads its view from the address when it mounts. */
export function openTimeline(filter: TimelineFilter, onNavigate: (sectionId: string) => void): void {
  const hash = hashForState({ ...DEFAULT_VIEW, filter });
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${hash}`);
  onNavigate('timeline');
}
