import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PivotEntity } from '../../../shared/domain/pivot';
import { useApi, useApiServices } from '../../app/api-context';

export type SessionFilters = Readonly<{ user?: string; ip?: string; from?: number; to?: number }>;

/** Every pivot query is keyed by the case file (another case never shows this one's data). */
export const pivotKeys = {
  all: (casePath: string) => ['pivot', casePath] as const,
  entity: (casePath: string, entity: PivotEntity) => ['pivot', casePath, 'entity', entity] as const,
  timeline: (casePath: string, entity: PivotEntity) => ['pivot', casePath, 'timeline', entity] as const,
  sessions: (casePath: string, filters: SessionFilters) => ['pivot', casePath, 'sessions', filters] as const,
  session: (casePath: string, id: number) => ['pivot', casePath, 'session', id] as const,
};

export function usePivotEntity(casePath: string, entity: PivotEntity | null) {
  const api = useApi();
  return useQuery({
    queryKey: pivotKeys.entity(casePath, entity ?? { kind: 'ip', value: '' }),
    queryFn: () => api['pivot.entity'](entity ?? { kind: 'ip', value: '' }),
    enabled: entity !== null,
    staleTime: 30_000,
  });
}

export function usePivotTimeline(casePath: string, entity: PivotEntity | null) {
  const api = useApi();
  return useQuery({
    queryKey: pivotKeys.timeline(casePath, entity ?? { kind: 'ip', value: '' }),
    queryFn: () => api['pivot.timeline']({ entity: entity ?? { kind: 'ip', value: '' }, buckets: 80 }),
    enabled: entity !== null,
    staleTime: 30_000,
  });
}

export function useAuthSessions(casePath: string, filters: SessionFilters) {
  const api = useApi();
  return useQuery({
    queryKey: pivotKeys.sessions(casePath, filters),
    queryFn: () => api['pivot.sessions']({ ...filters, limit: 500 }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useAuthSession(casePath: string, id: number) {
  const api = useApi();
  return useQuery({
    queryKey: pivotKeys.session(casePath, id),
    queryFn: () => api['pivot.session']({ id, webLimit: 10 }),
    staleTime: 30_000,
  });
}

/** A finished ingest changes every count. */
export function useRefreshPivotAfterIngest(casePath: string): void {
  const { events } = useApiServices();
  const client = useQueryClient();
  useEffect(() => events.on('ingest.onDone', () => void client.invalidateQueries({ queryKey: pivotKeys.all(casePath) })), [events, client, casePath]);
}
