import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { MethodInput } from '../../../shared/api/contract';
import type { TimelineFilter } from '../../../shared/domain/timeline';
import { useApi } from '../../app/api-context';
import { DEFAULT_VIEW, hashForState } from '../timeline/view-state';

/** Keyed by the case file and its event count, so a finished ingest shows at once. */
export const hostStateKeys = {
  all: (casePath: string) => ['hoststate', casePath] as const,
  view: (casePath: string, events: number, method: string, input: unknown) => ['hoststate', casePath, events, method, input] as const,
};

export function useServerStatus(casePath: string, events: number, input: MethodInput<'hoststate.serverStatus'>) {
  const api = useApi();
  return useQuery({ queryKey: hostStateKeys.view(casePath, events, 'serverStatus', input), queryFn: () => api['hoststate.serverStatus'](input), placeholderData: keepPreviousData });
}

export function useNetstat(casePath: string, events: number, input: MethodInput<'hoststate.netstat'>) {
  const api = useApi();
  return useQuery({ queryKey: hostStateKeys.view(casePath, events, 'netstat', input), queryFn: () => api['hoststate.netstat'](input), placeholderData: keepPreviousData });
}

export function useProcesses(casePath: string, events: number, input: MethodInput<'hoststate.processes'>) {
  const api = useApi();
  return useQuery({ queryKey: hostStateKeys.view(casePath, events, 'processes', input), queryFn: () => api['hoststate.processes'](input), placeholderData: keepPreviousData });
}

/** A capture's events in the timeline: its evidence, at its capture time (the whole second), plus the given fields. */
export function captureFilter(evidenceId: number, captureTs: number | null, extra: Partial<TimelineFilter> = {}): TimelineFilter {
  const time = captureTs === null ? {} : { from: Math.floor(captureTs / 1000) * 1000, to: Math.floor(captureTs / 1000) * 1000 + 1000 };
  return { evidenceIds: [evidenceId], ...time, ...extra };
}

/** Opens the timeline on a filter (the timeline reads its state from the address). */
export function openTimeline(filter: TimelineFilter, onNavigate: (section: string) => void): void {
  window.location.hash = hashForState({ ...DEFAULT_VIEW, filter });
  onNavigate('timeline');
}
