import { Classes, Icon, Tag, Tooltip } from '@blueprintjs/core';
import type { CaseSummary } from '../../../shared/domain/case';

/** The open case at a glance: name, number, the time zone in force, and the classification marking. */
export function CaseHeader({ summary }: Readonly<{ summary: CaseSummary }>) {
  return (
    <div className="dossier-case-header" data-testid="case-header">
      <span className="dossier-case-name" title={summary.path}>
        {summary.name}
      </span>
      {summary.number !== '' ? (
        <Tag minimal className="dossier-mono" aria-label="Case number">
          {summary.number}
        </Tag>
      ) : null}
      {summary.classification !== '' ? (
        <Tag intent="warning" aria-label="Classification" data-testid="case-classification">
          {summary.classification}
        </Tag>
      ) : null}
      <Tooltip content="Times are stored in UTC and shown in the case's time zone" placement="bottom">
        <span className={`dossier-case-zone ${Classes.TEXT_MUTED}`} data-testid="case-time-zone">
          <Icon icon="time" size={12} /> Times in {summary.timeZone}
        </span>
      </Tooltip>
    </div>
  );
}
