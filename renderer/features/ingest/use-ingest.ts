import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { EventPayload, MethodInput } from '../../../shared/api/contract';
import type { IngestStatus } from '../../../shared/domain/evidence';
import { useApi, useApiServices } from '../../app/api-context';
import { queryKeys } from '../cases/use-cases';
import { evidenceKeys } from '../evidence/use-evidence';

/** What `ingest.onDone` reports: the summary plus the error, if the run failed. */
export type FinishedIngest = EventPayload<'ingest.onDone'>;

/**
 * The ingest as the UI shows it: the back end's status, plus the run this window saw finish (kept
 * until dismissed, so the summary survives moving between sections). A reload starts without one:
 * `ingest.status().last` is not tied to a case, so it is never shown as "just finished".
 */
export type IngestView = IngestStatus & { finished: FinishedIngest | null };

export const ingestKeys = {
  formats: ['ingest', 'formats'] as const,
  view: (casePath: string) => ['ingest', 'view', casePath] as const,
};

function finishedFrom(status: IngestStatus): FinishedIngest | null {
  return status.last === null ? null : { ...status.last, error: status.error };
}

/** After a run ends: everything that shows what the case holds. */
function caseContentChanged(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: evidenceKeys.all });
  void client.invalidateQueries({ queryKey: queryKeys.currentCase });
  void client.invalidateQueries({ queryKey: queryKeys.auditList });
}

/** The ingest status of the open case; polled while a run is going (events do the fine-grained updates). */
export function useIngestView(casePath: string) {
  const api = useApi();
  const client = useQueryClient();
  const key = ingestKeys.view(casePath);
  return useQuery({
    queryKey: key,
    queryFn: async (): Promise<IngestView> => {
      const status = await api['ingest.status']({});
      const before = client.getQueryData<IngestView>(key);
      // a run seen running before and stopped now has finished, even if its event was missed
      const endedUnseen = before?.running === true && !status.running;
      if (endedUnseen) {
        caseContentChanged(client);
      }
      return { ...status, finished: endedUnseen ? finishedFrom(status) : (before?.finished ?? null) };
    },
    refetchInterval: (query) => (query.state.data?.running === true ? 2_000 : false),
    staleTime: 0,
  });
}

/** Keeps the ingest view in step with the back end's events; mounted once per open case. */
export function useIngestEvents(casePath: string): void {
  const { events } = useApiServices();
  const client = useQueryClient();
  useEffect(() => {
    const key = ingestKeys.view(casePath);
    const offProgress = events.on('ingest.onProgress', (progress) => {
      client.setQueryData<IngestView>(key, (old) => (old === undefined ? old : { ...old, running: true, progress }));
    });
    const offDone = events.on('ingest.onDone', (done) => {
      void client.cancelQueries({ queryKey: key });
      client.setQueryData<IngestView>(key, (old) =>
        old === undefined ? old : { ...old, running: false, root: null, progress: null, last: done, error: done.error, finished: done },
      );
      caseContentChanged(client);
      // the full-text index state comes from the status
      void client.invalidateQueries({ queryKey: key });
    });
    return () => {
      offProgress();
      offDone();
      // a summary belongs to this visit of the case: reopening it starts without one
      client.setQueryData<IngestView>(key, (old) => (old === undefined ? old : { ...old, finished: null }));
    };
  }, [events, client, casePath]);
}

export function useDismissFinished(casePath: string): () => void {
  const client = useQueryClient();
  return () => client.setQueryData<IngestView>(ingestKeys.view(casePath), (old) => (old === undefined ? old : { ...old, finished: null }));
}

export function useIngestFormats() {
  const api = useApi();
  return useQuery({ queryKey: ingestKeys.formats, queryFn: () => api['ingest.formats']({}), staleTime: Infinity });
}

/** A look at a folder before ingest (reads at most 64 KiB per file, writes nothing). */
export function useScanFolder() {
  const api = useApi();
  return useMutation({ mutationFn: (folder: string) => api['ingest.scan']({ folder }) });
}

export function useStartIngest(casePath: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MethodInput<'ingest.start'>) => api['ingest.start'](input),
    onSuccess: (_result, input) => {
      client.setQueryData<IngestView>(ingestKeys.view(casePath), (old) =>
        old === undefined ? old : { ...old, running: true, root: input.folder, progress: old.running ? old.progress : null, error: null, finished: null },
      );
      void client.invalidateQueries({ queryKey: evidenceKeys.all });
    },
  });
}

export function useCancelIngest() {
  const api = useApi();
  return useMutation({ mutationFn: () => api['ingest.cancel']({}) });
}
