import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { MethodInput } from '../../../shared/api/contract';
import type { TimelineFilter, TimelinePage } from '../../../shared/domain/timeline';
import { useEffect } from 'react';
import { useApi, useApiServices } from '../../app/api-context';
import { queryKeys } from '../cases/use-cases';
import { cursorArgs, MAX_PAGES, nextPageParam, PAGE_SIZE, previousPageParam, START_PAGE, type PageParam } from './paging';
import type { GroupBy } from './view-state';

export type FacetField = MethodInput<'timeline.facet'>['field'];

/** Every timeline query is keyed by the case file, so another case never shows this one's data. */
export const timelineKeys = {
  all: (casePath: string) => ['timeline', casePath] as const,
  pages: (casePath: string, filter: TimelineFilter) => ['timeline', casePath, 'pages', filter] as const,
  histogram: (casePath: string, filter: TimelineFilter, groupBy: GroupBy, buckets: number, zone: string) => ['timeline', casePath, 'histogram', filter, groupBy, buckets, zone] as const,
  facet: (casePath: string, filter: TimelineFilter, field: FacetField) => ['timeline', casePath, 'facet', field, filter] as const,
  detail: (casePath: string, id: number) => ['timeline', casePath, 'detail', id] as const,
  context: (casePath: string, id: number) => ['timeline', casePath, 'context', id] as const,
  tags: (casePath: string) => ['timeline', casePath, 'tags'] as const,
  views: (casePath: string) => ['timeline', casePath, 'views'] as const,
  fullText: (casePath: string) => ['timeline', casePath, 'fullText'] as const,
};

/**
 * The table's rows: keyset pages in (ts, id) order, loaded forwards and backwards as the analyst
 * scrolls. At most MAX_PAGES stay in memory; dropped pages are read again by cursor (never OFFSET).
 */
export function useTimelinePages(casePath: string, filter: TimelineFilter) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: timelineKeys.pages(casePath, filter),
    queryFn: ({ pageParam }: { pageParam: PageParam }): Promise<TimelinePage> => api['timeline.page']({ filter, limit: PAGE_SIZE, ...cursorArgs(pageParam) }),
    initialPageParam: START_PAGE as PageParam,
    getNextPageParam: (last, _all, lastParam) => nextPageParam(last, lastParam),
    getPreviousPageParam: (first, _all, firstParam) => previousPageParam(first, firstParam),
    maxPages: MAX_PAGES,
  });
}

export function useHistogram(casePath: string, filter: TimelineFilter, groupBy: GroupBy, buckets: number, zone: string) {
  const api = useApi();
  return useQuery({
    queryKey: timelineKeys.histogram(casePath, filter, groupBy, buckets, zone),
    // Hour and day buckets start on the display zone's hours and midnights.
    queryFn: () => api['timeline.histogram']({ filter, groupBy, buckets, zone }),
    placeholderData: keepPreviousData,
  });
}

export function useFacet(casePath: string, filter: TimelineFilter, field: FacetField | null) {
  const api = useApi();
  return useQuery({
    queryKey: timelineKeys.facet(casePath, filter, field ?? 'host'),
    queryFn: () => api['timeline.facet']({ filter, field: field ?? 'host', limit: 50 }),
    enabled: field !== null,
    staleTime: 30_000,
  });
}

/** Whether the full-text index is complete (polled while it is being built). */
export function useFullTextState(casePath: string) {
  const api = useApi();
  return useQuery({
    queryKey: timelineKeys.fullText(casePath),
    queryFn: async () => (await api['ingest.status']({})).fullText,
    refetchInterval: (q) => (q.state.data === undefined || q.state.data.complete ? false : 3_000),
  });
}

export function useTags(casePath: string) {
  const api = useApi();
  return useQuery({ queryKey: timelineKeys.tags(casePath), queryFn: () => api['tags.list']({}) });
}

export function useViews(casePath: string) {
  const api = useApi();
  return useQuery({ queryKey: timelineKeys.views(casePath), queryFn: () => api['views.list']({}) });
}

export function useEventDetail(casePath: string, id: number | null) {
  const api = useApi();
  return useQuery({
    queryKey: timelineKeys.detail(casePath, id ?? 0),
    queryFn: () => api['events.detail']({ id: id ?? 0 }),
    enabled: id !== null,
    placeholderData: keepPreviousData,
  });
}

export function useEventContext(casePath: string, id: number | null) {
  const api = useApi();
  return useQuery({
    queryKey: timelineKeys.context(casePath, id ?? 0),
    queryFn: () => api['events.context']({ id: id ?? 0, before: 12, after: 12 }),
    enabled: id !== null,
  });
}

/** A finished ingest adds events (and may leave the full-text index building): everything is read again. */
export function useRefreshAfterIngest(casePath: string): void {
  const { events } = useApiServices();
  const client = useQueryClient();
  useEffect(() => events.on('ingest.onDone', () => void client.invalidateQueries({ queryKey: timelineKeys.all(casePath) })), [events, client, casePath]);
}

/** After a tag, star or comment: the rows' marks, the histogram markers, the details and the audit log. */
function annotationsChanged(client: QueryClient, casePath: string): void {
  void client.invalidateQueries({ queryKey: ['timeline', casePath, 'pages'] });
  void client.invalidateQueries({ queryKey: ['timeline', casePath, 'histogram'] });
  void client.invalidateQueries({ queryKey: ['timeline', casePath, 'detail'] });
  void client.invalidateQueries({ queryKey: timelineKeys.tags(casePath) });
  void client.invalidateQueries({ queryKey: queryKeys.auditList });
}

export function useTagEvents(casePath: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MethodInput<'events.tag'>) => api['events.tag'](input),
    onSuccess: (tags) => {
      client.setQueryData(timelineKeys.tags(casePath), tags);
      annotationsChanged(client, casePath);
    },
  });
}

export function useStarEvents(casePath: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MethodInput<'events.star'>) => api['events.star'](input),
    onSuccess: () => annotationsChanged(client, casePath),
  });
}

export function useCommentEvent(casePath: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MethodInput<'events.comment'>) => api['events.comment'](input),
    onSuccess: () => annotationsChanged(client, casePath),
  });
}

export function useSaveView(casePath: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MethodInput<'views.save'>) => api['views.save'](input),
    onSuccess: (views) => {
      client.setQueryData(timelineKeys.views(casePath), views);
      void client.invalidateQueries({ queryKey: queryKeys.auditList });
    },
  });
}

export function useDeleteView(casePath: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api['views.delete']({ id }),
    onSuccess: (views) => {
      client.setQueryData(timelineKeys.views(casePath), views);
      void client.invalidateQueries({ queryKey: queryKeys.auditList });
    },
  });
}

export function useExportView() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MethodInput<'timeline.export'>) => api['timeline.export'](input),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.auditList }),
  });
}
