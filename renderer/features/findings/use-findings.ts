import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DetectorParams, FindingReview } from '../../../shared/domain/findings';
import { useApi } from '../../app/api-context';

export const findingKeys = {
  all: (casePath: string) => ['findings', casePath] as const,
  list: (casePath: string) => ['findings', casePath, 'list'] as const,
  one: (casePath: string, id: number) => ['findings', casePath, 'one', id] as const,
  rules: (casePath: string) => ['findings', casePath, 'rules'] as const,
};

/** Every finding of the case (a case has tens to a few hundred; filtering is done in the panel). */
export function useFindings(casePath: string) {
  const api = useApi();
  return useQuery({ queryKey: findingKeys.list(casePath), queryFn: () => api['findings.list']({}) });
}

/** One finding with the first page of its events. */
export function useFinding(casePath: string, id: number | null) {
  const api = useApi();
  return useQuery({
    queryKey: findingKeys.one(casePath, id ?? 0),
    queryFn: () => api['findings.get']({ id: id ?? 0, offset: 0, limit: 100 }),
    enabled: id !== null,
  });
}

export function useRules(casePath: string) {
  const api = useApi();
  return useQuery({ queryKey: findingKeys.rules(casePath), queryFn: () => api['findings.rules']({}) });
}

export function useReview(casePath: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; review: FindingReview; comment: string }) => api['findings.review'](v),
    onSuccess: () => void client.invalidateQueries({ queryKey: findingKeys.all(casePath) }),
  });
}

export function useRunDetectors(casePath: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (params: Partial<DetectorParams>) => api['findings.run']({ params }),
    onSuccess: () => void client.invalidateQueries({ queryKey: findingKeys.all(casePath) }),
  });
}
