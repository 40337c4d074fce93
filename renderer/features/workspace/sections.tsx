import type { IconName } from '@blueprintjs/core';
import { lazy, type ComponentType } from 'react';
import type { CaseSummary } from '../../../shared/domain/case';
import { OverviewPanel } from '../overview/overview-panel';

export type SectionProps = Readonly<{ summary: CaseSummary }>;

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
}>;

const AuditPanel = lazy(async () => ({ default: (await import('../audit/audit-panel')).AuditPanel }));

export const WORKSPACE_SECTIONS: ReadonlyArray<WorkspaceSection> = [
  { id: 'overview', label: 'Overview', icon: 'dashboard', group: 'Case', Panel: OverviewPanel },
  { id: 'audit', label: 'Audit log', icon: 'history', group: 'Records', Panel: AuditPanel },
];
