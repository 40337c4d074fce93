import type { IconName } from '@blueprintjs/core';
import { lazy, type ComponentType } from 'react';
import type { CaseSummary } from '../../../shared/domain/case';
import { IngestNavBadge } from '../ingest/ingest-nav-badge';
import { OverviewPanel } from '../overview/overview-panel';

export type SectionProps = Readonly<{
  summary: CaseSummary;
  /** Moves the workspace to another section (e.g. a count on the overview linking to its list). */
  onNavigate: (sectionId: string) => void;
}>;

/**
 * The workspace sections, in navigation order. A new feature adds one entry here (heavy panels
 * lazily, so the first screen stays small); `group` lets the navigation grow into labelled blocks.
 */
export type WorkspaceSection = Readonly<{
  id: string;
  label: string;
  icon: IconName;
  group: 'Case' | 'Analysis' | 'Records';
  Panel: ComponentType<SectionProps>;
  /** Optional live marker next to the label (e.g. an ingest running). */
  Badge?: ComponentType<Readonly<{ summary: CaseSummary }>>;
}>;

const EvidencePanel = lazy(async () => ({ default: (await import('../evidence/evidence-panel')).EvidencePanel }));
const TimelinePanel = lazy(async () => ({ default: (await import('../timeline/timeline-panel')).TimelinePanel }));
const HostStatePanel = lazy(async () => ({ default: (await import('../hoststate/hoststate-panel')).HostStatePanel }));
const HypothesesPanel = lazy(async () => ({ default: (await import('../hypotheses/hypotheses-panel')).HypothesesPanel }));
const NotesPanel = lazy(async () => ({ default: (await import('../notes/notes-panel')).NotesPanel }));
const FilesPanel = lazy(async () => ({ default: (await import('../files/files-panel')).FilesPanel }));
const ProcessPanel = lazy(async () => ({ default: (await import('../process/process-panel')).ProcessPanel }));
const ReportsPanel = lazy(async () => ({ default: (await import('../reports/reports-panel')).ReportsPanel }));
const FindingsPanel = lazy(async () => ({ default: (await import('../findings/findings-panel')).FindingsPanel }));
const PivotPanel = lazy(async () => ({ default: (await import('../pivot/pivot-panel')).PivotPanel }));
const AuditPanel = lazy(async () => ({ default: (await import('../audit/audit-panel')).AuditPanel }));

export const WORKSPACE_SECTIONS: ReadonlyArray<WorkspaceSection> = [
  { id: 'overview', label: 'Overview', icon: 'dashboard', group: 'Case', Panel: OverviewPanel },
  { id: 'evidence', label: 'Evidence', icon: 'archive', group: 'Case', Panel: EvidencePanel, Badge: IngestNavBadge },
  { id: 'timeline', label: 'Timeline', icon: 'timeline-bar-chart', group: 'Analysis', Panel: TimelinePanel },
  { id: 'findings', label: 'Findings', icon: 'warning-sign', group: 'Analysis', Panel: FindingsPanel },
  { id: 'pivot', label: 'Pivot', icon: 'search-around', group: 'Analysis', Panel: PivotPanel },
  { id: 'workers', label: 'Apache workers', icon: 'pulse', group: 'Analysis', Panel: ProcessPanel },
  { id: 'hoststate', label: 'Host state', icon: 'heat-grid', group: 'Analysis', Panel: HostStatePanel },
  { id: 'files', label: 'Files & processes', icon: 'document-share', group: 'Analysis', Panel: FilesPanel },
  { id: 'hypotheses', label: 'Hypotheses', icon: 'lab-test', group: 'Analysis', Panel: HypothesesPanel },
  { id: 'notes', label: 'Notes', icon: 'manual', group: 'Records', Panel: NotesPanel },
  { id: 'reports', label: 'Report', icon: 'document', group: 'Records', Panel: ReportsPanel },
  { id: 'audit', label: 'Audit log', icon: 'history', group: 'Records', Panel: AuditPanel },
];
