import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isMethodName, type MethodInput } from '../../../shared/api/contract';
import type { ReportOptionsInput } from '../../../shared/api/methods/reports';
import { Note } from '../../../shared/domain/hypotheses';
import { useApi } from '../../app/api-context';
import { queryKeys } from '../cases/use-cases';

export const reportKeys = {
  preview: (casePath: string, options: ReportOptionsInput) => ['reports', casePath, 'preview', options] as const,
  charts: (casePath: string) => ['reports', casePath, 'charts'] as const,
  notes: (casePath: string) => ['reports', casePath, 'notes'] as const,
};

export function useReportPreview(casePath: string, options: ReportOptionsInput) {
  const api = useApi();
  return useQuery({ queryKey: reportKeys.preview(casePath, options), queryFn: () => api['reports.preview']({ options }), staleTime: 0, gcTime: 0 });
}

/** The charts this case can draw for the report (the panels' charts with something to show). */
export function useReportCharts(casePath: string) {
  const api = useApi();
  return useQuery({ queryKey: reportKeys.charts(casePath), queryFn: () => api['reports.charts']({}) });
}

/**
 * The notes to choose the executive summary from, when this build has the notes area (`notes.list`);
 * null when it has none, so the picker stays hidden.
 */
export function useSummaryNotes(casePath: string) {
  const api = useApi();
  const available = isMethodName('notes.list');
  return useQuery({
    queryKey: reportKeys.notes(casePath),
    enabled: available,
    queryFn: async (): Promise<Note[]> => {
      const call = (api as unknown as Record<string, ((input: unknown) => Promise<unknown>) | undefined>)['notes.list'];
      if (call === undefined) {
        return [];
      }
      const value = await call({});
      const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null && Array.isArray((value as { notes?: unknown }).notes) ? (value as { notes: unknown[] }).notes : [];
      return list.flatMap((n) => {
        const parsed = Note.safeParse(n);
        return parsed.success ? [parsed.data] : [];
      });
    },
  });
}

function useAuditInvalidation() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: queryKeys.audit });
}

export function useSaveReport() {
  const api = useApi();
  const invalidate = useAuditInvalidation();
  return useMutation({
    mutationFn: (input: MethodInput<'reports.saveHtml'> & { format: 'html' | 'pdf' }) => {
      const { format, ...rest } = input;
      return format === 'pdf' ? api['reports.savePdf'](rest) : api['reports.saveHtml'](rest);
    },
    onSuccess: invalidate,
  });
}

export function useExportPackage() {
  const api = useApi();
  const invalidate = useAuditInvalidation();
  return useMutation({ mutationFn: (folder: string) => api['exports.casePackage']({ folder }), onSuccess: invalidate });
}
