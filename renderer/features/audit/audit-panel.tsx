import { Button, Callout, Classes, HTMLTable, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import type { AuditEntry, AuditVerification } from '../../../shared/domain/case';
import { ErrorCallout } from '../../components/error-callout';
import { formatUtc } from '../../components/format-time';
import type { SectionProps } from '../workspace/sections';
import { useAuditLog, useVerifyAudit } from './use-audit';

function VerifyResult({ result }: Readonly<{ result: AuditVerification }>) {
  if (result.ok) {
    return (
      <Callout intent="success" icon="endorsed" compact title="Chain intact" data-testid="verify-result" data-verified="intact">
        All {result.length.toLocaleString('en-US')} entries verify and link to each other. Head hash{' '}
        <code className="dossier-mono dossier-break">{result.headHash}</code>
      </Callout>
    );
  }
  return (
    <Callout intent="danger" icon="error" compact title="Chain broken" data-testid="verify-result" data-verified="broken">
      {result.brokenAt !== null ? `At entry ${result.brokenAt}: ` : ''}
      {result.reason ?? 'unknown reason'}
    </Callout>
  );
}

function AuditRow({ entry }: Readonly<{ entry: AuditEntry }>) {
  return (
    <tr data-testid="audit-row" data-action={entry.action}>
      <td className="dossier-num">{entry.seq}</td>
      <td className="dossier-mono dossier-nowrap">{formatUtc(entry.atUtc)}</td>
      <td className="dossier-nowrap">{entry.actor}</td>
      <td className="dossier-nowrap">
        <Tag minimal className="dossier-mono">
          {entry.action}
        </Tag>
      </td>
      <td className="dossier-mono">{entry.target}</td>
      <td className="dossier-mono dossier-details">{entry.details}</td>
    </tr>
  );
}

/** The case's tamper-evident audit log: newest first, load more, and a chain check. */
export function AuditPanel({ summary }: SectionProps) {
  const log = useAuditLog();
  const verify = useVerifyAudit();
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  const total = log.data?.pages.at(-1)?.total ?? 0;
  // a check is only shown for the chain it checked: any new entry makes it stale
  const checked = verify.variables === summary.counts.auditEntries ? verify : null;

  return (
    <div className="dossier-panel" data-testid="audit-log">
      <div className="dossier-toolbar">
        <Button icon="shield" text="Verify chain" loading={verify.isPending} onClick={() => verify.mutate(summary.counts.auditEntries)} />
        <span className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`} data-testid="audit-count">
          {log.isSuccess ? `Showing ${entries.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} entries` : ''}
        </span>
      </div>
      {checked?.data !== undefined ? <VerifyResult result={checked.data} /> : null}
      <ErrorCallout error={checked?.error} title="The chain could not be checked" />
      {log.isPending ? <Spinner size={24} /> : null}
      <ErrorCallout error={log.error} title="The audit log could not be read" />
      {log.isSuccess && entries.length === 0 ? <NonIdealState icon="history" title="No audit entries" /> : null}
      {entries.length > 0 ? (
        <div className="dossier-table-scroll">
          <HTMLTable compact striped className="dossier-audit-table" aria-label="Audit log" data-testid="audit-table">
            <thead>
              <tr>
                <th className="dossier-num">Seq</th>
                <th>Time (UTC)</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Target</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <AuditRow key={e.seq} entry={e} />
              ))}
            </tbody>
          </HTMLTable>
        </div>
      ) : null}
      {log.hasNextPage ? (
        <Button className="dossier-load-more" icon="more" text="Load more" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()} />
      ) : null}
    </div>
  );
}
