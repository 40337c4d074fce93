import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { MethodInput } from '../../../shared/api/contract';
import type { Hypothesis, Note } from '../../../shared/domain/hypotheses';
import { useApi } from '../../app/api-context';
import { queryKeys, useCurrentCase } from '../cases/use-cases';

/** The open case's path: every query here is keyed by it, so another case never shows this one's data. */
export function useCasePath(): string {
  return useCurrentCase().data?.path ?? '';
}

export const hypothesisKeys = {
  all: (casePath: string) => ['hypotheses', casePath] as const,
  list: (casePath: string) => ['hypotheses', casePath, 'list'] as const,
  one: (casePath: string, id: number) => ['hypotheses', casePath, 'one', id] as const,
  history: (casePath: string, id: number) => ['hypotheses', casePath, 'history', id] as const,
  compare: (casePath: string, ids: ReadonlyArray<number>) => ['hypotheses', casePath, 'compare', ids] as const,
  notes: (casePath: string) => ['notes', casePath] as const,
  note: (casePath: string, id: number) => ['notes', casePath, 'one', id] as const,
};

/** Predictions count saved views live: re-read whenever shown. */
export function useHypotheses() {
  const api = useApi();
  const casePath = useCasePath();
  return useQuery({ queryKey: hypothesisKeys.list(casePath), queryFn: () => api['hypotheses.list']({}), enabled: casePath !== '' });
}

export function useHypothesis(id: number | null) {
  const api = useApi();
  const casePath = useCasePath();
  return useQuery({ queryKey: hypothesisKeys.one(casePath, id ?? 0), queryFn: () => api['hypotheses.get']({ id: id ?? 0 }), enabled: casePath !== '' && id !== null });
}

export function useHypothesisHistory(id: number | null) {
  const api = useApi();
  const casePath = useCasePath();
  return useQuery({ queryKey: hypothesisKeys.history(casePath, id ?? 0), queryFn: () => api['hypotheses.history']({ id: id ?? 0 }), enabled: casePath !== '' && id !== null });
}

export function useCompare(ids: ReadonlyArray<number>) {
  const api = useApi();
  const casePath = useCasePath();
  return useQuery({ queryKey: hypothesisKeys.compare(casePath, ids), queryFn: () => api['hypotheses.compare']({ ids: [...ids] }), enabled: casePath !== '' && ids.length >= 2 });
}

function hypothesisChanged(client: QueryClient, casePath: string, h: Hypothesis | null): void {
  if (h !== null) {
    client.setQueryData(hypothesisKeys.one(casePath, h.id), h);
  }
  void client.invalidateQueries({ queryKey: hypothesisKeys.all(casePath) });
  void client.invalidateQueries({ queryKey: queryKeys.auditList });
}

type HypothesisMethod =
  | 'hypotheses.create'
  | 'hypotheses.update'
  | 'hypotheses.addPrediction'
  | 'hypotheses.updatePrediction'
  | 'hypotheses.removePrediction'
  | 'hypotheses.link'
  | 'hypotheses.updateLink'
  | 'hypotheses.unlink';

/** One mutation per contract method that answers with the changed hypothesis. */
export function useHypothesisMutation<M extends HypothesisMethod>(name: M) {
  const api = useApi();
  const casePath = useCasePath();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MethodInput<M>) => (api[name] as (i: MethodInput<M>) => Promise<Hypothesis>)(input),
    onSuccess: (h) => hypothesisChanged(client, casePath, h),
  });
}

export function useDeleteHypothesis() {
  const api = useApi();
  const casePath = useCasePath();
  const client = useQueryClient();
  return useMutation({ mutationFn: (id: number) => api['hypotheses.delete']({ id }), onSuccess: () => hypothesisChanged(client, casePath, null) });
}

// ------------------------------------------------------------------ notes

export function useNotes() {
  const api = useApi();
  const casePath = useCasePath();
  return useQuery({ queryKey: hypothesisKeys.notes(casePath), queryFn: () => api['notes.list']({}), enabled: casePath !== '' });
}

function notesChanged(client: QueryClient, casePath: string, note: Note | null): void {
  if (note !== null) {
    client.setQueryData(hypothesisKeys.notes(casePath), (old: Note[] | undefined) => (old === undefined ? old : old.some((n) => n.id === note.id) ? old.map((n) => (n.id === note.id ? note : n)) : [...old, note]));
  }
  void client.invalidateQueries({ queryKey: hypothesisKeys.notes(casePath) });
  void client.invalidateQueries({ queryKey: queryKeys.auditList });
}

export function useCreateNote() {
  const api = useApi();
  const casePath = useCasePath();
  const client = useQueryClient();
  return useMutation({ mutationFn: (input: MethodInput<'notes.create'>) => api['notes.create'](input), onSuccess: (n) => notesChanged(client, casePath, n) });
}

export function useUpdateNote() {
  const api = useApi();
  const casePath = useCasePath();
  const client = useQueryClient();
  return useMutation({ mutationFn: (input: MethodInput<'notes.update'>) => api['notes.update'](input), onSuccess: (n) => notesChanged(client, casePath, n) });
}

export function useDeleteNote() {
  const api = useApi();
  const casePath = useCasePath();
  const client = useQueryClient();
  return useMutation({ mutationFn: (id: number) => api['notes.delete']({ id }), onSuccess: () => notesChanged(client, casePath, null) });
}
