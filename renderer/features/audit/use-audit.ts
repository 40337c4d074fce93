import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../app/api-context';
import { queryKeys } from '../cases/use-cases';

export const AUDIT_PAGE_SIZE = 100;

/** The audit log, newest first, a page at a time (keyset: entries before the oldest seq shown). */
export function useAuditLog() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: queryKeys.auditList,
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => api['audit.list'](pageParam === undefined ? { limit: AUDIT_PAGE_SIZE } : { limit: AUDIT_PAGE_SIZE, beforeSeq: pageParam }),
    getNextPageParam: (last) => {
      const oldest = last.entries.at(-1);
      return last.entries.length < AUDIT_PAGE_SIZE || oldest === undefined || oldest.seq <= 1 ? undefined : oldest.seq;
    },
  });
}

/** Walks the whole hash chain on demand; the result is kept until the case changes. */
export function useVerifyAudit() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationKey: queryKeys.auditVerify,
    /** The variable is the entry count the check is for (see AuditPanel). */
    mutationFn: (_forEntryCount: number) => api['audit.verify']({}),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.auditList }),
  });
}
