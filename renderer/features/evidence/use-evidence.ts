import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EvidenceItem, EvidenceUpdate } from '../../../shared/domain/evidence';
import { useApi } from '../../app/api-context';
import { queryKeys } from '../cases/use-cases';

export const evidenceKeys = {
  all: ['evidence'] as const,
  /** Keyed by the case file, so another case never shows this one's evidence. */
  list: (casePath: string) => ['evidence', 'list', casePath] as const,
};

/** The case's evidence; refreshed every few seconds while an ingest adds to it. */
export function useEvidenceList(casePath: string, ingestRunning: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: evidenceKeys.list(casePath),
    queryFn: () => api['evidence.list']({}),
    refetchInterval: ingestRunning ? 3_000 : false,
  });
}

/** Re-times one evidence's events (zone, clock offset, year) without re-ingest; audited by the back end. */
export function useUpdateEvidence(casePath: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (update: EvidenceUpdate) => api['evidence.update'](update),
    onSuccess: (item) => {
      client.setQueryData<EvidenceItem[]>(evidenceKeys.list(casePath), (old) => old?.map((e) => (e.id === item.id ? item : e)));
      void client.invalidateQueries({ queryKey: evidenceKeys.all });
      void client.invalidateQueries({ queryKey: queryKeys.currentCase });
      void client.invalidateQueries({ queryKey: queryKeys.auditList });
    },
  });
}
