import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { MethodInput } from '../../../shared/api/contract';
import type { CaseSummary } from '../../../shared/domain/case';
import { useApi, useApiServices } from '../../app/api-context';

export const queryKeys = {
  appInfo: ['app', 'info'] as const,
  currentCase: ['cases', 'current'] as const,
  recent: ['cases', 'recent'] as const,
  timeZones: ['cases', 'timeZones'] as const,
  audit: ['audit'] as const,
  auditList: ['audit', 'list'] as const,
  auditVerify: ['audit', 'verify'] as const,
};

export function useAppInfo() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.appInfo, queryFn: () => api['app.info']({}), staleTime: Infinity });
}

export function useCurrentCase() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.currentCase, queryFn: () => api['cases.current']({}) });
}

export function useRecentCases() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.recent, queryFn: () => api['cases.recent']({}) });
}

export function useTimeZones() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.timeZones, queryFn: () => api['cases.listTimeZones']({}), staleTime: Infinity });
}

/** After anything that changes which case is open (or its content): one place that refreshes what depends on it. */
function caseChanged(client: QueryClient, summary: CaseSummary | null): void {
  client.setQueryData(queryKeys.currentCase, summary);
  void client.invalidateQueries({ queryKey: queryKeys.recent });
  // the audit views belong to one case: drop them rather than show another case's entries
  client.removeQueries({ queryKey: queryKeys.auditVerify });
  void client.invalidateQueries({ queryKey: queryKeys.auditList });
}

/** Keeps the open case in sync with pushes from the back end (native menu, another window, Save As). */
export function useCaseEvents(): void {
  const { events } = useApiServices();
  const client = useQueryClient();
  useEffect(() => events.on('cases.onChanged', (summary) => caseChanged(client, summary)), [events, client]);
}

export function useCreateCase() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MethodInput<'cases.create'>) => api['cases.create'](input),
    onSuccess: (summary) => caseChanged(client, summary),
  });
}

export function useOpenCase() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (path: string) => api['cases.open']({ path }),
    onSuccess: (summary) => caseChanged(client, summary),
    // a failed open may have touched the recent list (missing file)
    onError: () => void client.invalidateQueries({ queryKey: queryKeys.recent }),
  });
}

export function useOpenSample() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api['cases.openSample']({}),
    onSuccess: (summary) => caseChanged(client, summary),
  });
}

export function useCloseCase() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api['cases.close']({}),
    onSuccess: () => caseChanged(client, null),
  });
}

export function useSaveCaseAs() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (path: string) => api['cases.saveAs']({ path }),
    onSuccess: (summary) => caseChanged(client, summary),
  });
}

export function useUpdateCaseMeta() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: MethodInput<'cases.updateMeta'>) => api['cases.updateMeta'](patch),
    onSuccess: (summary) => caseChanged(client, summary),
  });
}

export function useForgetRecent() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (path: string) => api['cases.forgetRecent']({ path }),
    onSuccess: (list) => client.setQueryData(queryKeys.recent, list),
  });
}
