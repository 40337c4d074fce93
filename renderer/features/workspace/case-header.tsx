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
      {summary.integrity === 'checking' ? (
        <Tooltip content="A large case opens at once; its full integrity check runs in the background." placement="bottom">
          <Tag minimal icon="time" data-testid="case-integrity">Checking integrity…</Tag>
        </Tooltip>
      ) : null}
      {summary.integrity === 'damaged' ? (
        <Tooltip content={summary.integrityDetail ?? 'The integrity check found damage.'} placement="bottom">
          <Tag intent="danger" icon="warning-sign" data-testid="case-integrity">
            Case file damaged: work on a copy
          </Tag>
        </Tooltip>
      ) : null}
      <Tooltip content="The case's time zone: wall-clock times without an offset are read in it. Each view says the zone it shows times in." placement="bottom">
        <span className={`dossier-case-zone ${Classes.TEXT_MUTED}`} data-testid="case-time-zone">
          <Icon icon="time" size={12} /> Case zone {summary.timeZone}
        </span>
      </Tooltip>
    </div>
  );
}
