import './ingest.css';
import { Button, Callout, Card, Classes, Collapse, HTMLTable, ProgressBar, Tag, type Intent } from '@blueprintjs/core';
import { useState, type ReactNode } from 'react';
import type { IngestProgress } from '../../../shared/domain/evidence';
import { ErrorCallout } from '../../components/error-callout';
import { formatLabel, humanize, shortFormatLabel, outcomeIntent, statusIntent, type FormatOption } from '../evidence/evidence-labels';
import { formatBytes, formatCount, formatDuration } from './format-progress';
import { useCancelIngest, useDismissFinished, useIngestView, type FinishedIngest, type IngestView } from './use-ingest';

const PHASES: Readonly<Record<IngestProgress['phase'], string>> = {
  scanning: 'Scanning',
  reading: 'Reading',
  finishing: 'Finishing',
  indexing: 'Indexing',
  done: 'Done',
};

function Stat(props: Readonly<{ label: string; children: ReactNode; testId?: string; value?: number }>) {
  return (
    <div className="dossier-stat">
      <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>{props.label}</div>
      <div className="dossier-stat-value" data-testid={props.testId} data-value={props.value}>
        {props.children}
      </div>
    </div>
  );
}

function Running({ view }: Readonly<{ view: IngestView }>) {
  const cancel = useCancelIngest();
  const p = view.progress;
  const phase = p?.phase ?? 'scanning';
  const indexing = phase === 'indexing';
  const bytesRatio = p !== null && p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : 0;
  const indexRatio = p !== null && indexing && p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;

  return (
    <Card compact className="dossier-ingest-card" data-testid="ingest-progress" data-phase={phase}>
      <div className="dossier-ingest-head">
        <Tag intent="primary" data-testid="ingest-phase">
          {PHASES[phase]}
        </Tag>
        <span className="dossier-ingest-title">
          Ingesting <span className="dossier-mono">{view.root ?? ''}</span>
        </span>
        <Button icon="stop" text="Cancel" intent="danger" variant="outlined" size="small" loading={cancel.isPending} onClick={() => cancel.mutate()} />
      </div>
      {/* bytes advance file by file: until the first file is done the bar is indeterminate */}
      <ProgressBar value={indexing ? 1 : bytesRatio > 0 ? bytesRatio : undefined} intent={indexing ? 'success' : 'primary'} animate stripes aria-label="Bytes read" />
      <div className="dossier-stats">
        <Stat label="Files" testId="ingest-files">
          {p === null || indexing ? '—' : `${formatCount(p.filesDone)} / ${formatCount(p.filesTotal)}`}
        </Stat>
        <Stat label="Read">{p === null || indexing ? '—' : `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}`}</Stat>
        <Stat label="Lines" testId="ingest-lines" value={p?.lines ?? 0}>
          {formatCount(p?.lines ?? 0)}
        </Stat>
        <Stat label="Lines/s">{p === null || indexing ? '—' : formatCount(p.linesPerSecond)}</Stat>
        <Stat label="Elapsed">{p === null ? '—' : formatDuration(p.elapsedMs / 1000)}</Stat>
        <Stat label="Remaining" testId="ingest-eta">
          {p === null || indexing ? '—' : p.etaSeconds === null ? 'estimating…' : formatDuration(p.etaSeconds)}
        </Stat>
      </div>
      {indexing && p !== null ? (
        <div className="dossier-indexing" data-testid="ingest-indexing">
          <div className={Classes.TEXT_SMALL}>
            Building {p.currentFile ?? 'indexes'}: {formatCount(p.filesDone)} of {formatCount(p.filesTotal)}
          </div>
          <ProgressBar value={indexRatio} intent="primary" animate stripes aria-label="Indexing" />
        </div>
      ) : (
        <div className={`${Classes.TEXT_SMALL} dossier-ellipsis`} data-testid="ingest-current-file">
          <span className={Classes.TEXT_MUTED}>Current file: </span>
          <span className="dossier-mono">{p?.currentFile ?? '—'}</span>
        </div>
      )}
      <ErrorCallout error={cancel.error} title="The ingest could not be cancelled" />
    </Card>
  );
}

const SUMMARY_INTENT: Readonly<Record<FinishedIngest['status'], Intent>> = { complete: 'success', cancelled: 'warning', failed: 'danger' };
const SUMMARY_TITLE: Readonly<Record<FinishedIngest['status'], string>> = {
  complete: 'Ingest complete',
  cancelled: 'Ingest cancelled',
  failed: 'Ingest failed',
};

/** "parsed" ×7, "raw_text" ×3, and the files not complete by their status. */
function outcomeCounts(done: FinishedIngest): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const e of done.evidence) {
    const key = e.status === 'complete' ? e.outcome : e.status;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()];
}

/** What a cancelled ingest kept: a file cut short (marked), or, when the cancel came between two files, none. */
export function cancelNote(evidence: ReadonlyArray<Readonly<{ status: string }>>): string {
  return evidence.some((e) => e.status === 'cancelled' || e.status === 'partial')
    ? 'The lines stored before the cancel are kept; the interrupted file is marked cancelled. Add the folder again to complete it.'
    : 'The cancel came between two files: the files listed were stored whole, the others were not read. Add the folder again to complete it.';
}

function Finished({ done, formats, onDismiss }: Readonly<{ done: FinishedIngest; formats: ReadonlyArray<FormatOption> | undefined; onDismiss: () => void }>) {
  const status = done.error !== null ? 'failed' : done.status;
  const [showFiles, setShowFiles] = useState(status !== 'complete');
  const outcomes = outcomeCounts(done);
  return (
    <Callout intent={SUMMARY_INTENT[status]} title={SUMMARY_TITLE[status]} compact className="dossier-ingest-summary" data-testid="ingest-summary" data-status={status}>
      <div className="dossier-summary-line">
        <span data-testid="ingest-summary-text">
          {formatCount(done.lines)} lines from {formatCount(done.evidence.length)} {done.evidence.length === 1 ? 'file' : 'files'} ({formatBytes(done.bytes)}) in{' '}
          {formatDuration(done.elapsedMs / 1000)}
          {done.unchanged > 0 ? ` · ${formatCount(done.unchanged)} ${done.unchanged === 1 ? 'file was' : 'files were'} already in the case (skipped)` : ''}
          {done.uac ? ' · UAC collection' : ''}
        </span>
        {outcomes.map(([outcome, n]) => (
          <Tag key={outcome} minimal intent={outcomeIntent(outcome) === 'none' ? statusIntent(outcome) : outcomeIntent(outcome)} className="dossier-small-tag">
            {formatCount(n)} {humanize(outcome)}
          </Tag>
        ))}
        <span className="dossier-grow" />
        {done.evidence.length > 0 ? (
          <Button size="small" variant="minimal" icon={showFiles ? 'chevron-up' : 'chevron-down'} text={showFiles ? 'Hide files' : 'Show files'} onClick={() => setShowFiles((s) => !s)} />
        ) : null}
        <Button size="small" variant="minimal" icon="cross" aria-label="Dismiss the ingest summary" onClick={onDismiss} />
      </div>
      {done.error !== null ? <ErrorCallout error={done.error} /> : null}
      {status === 'cancelled' ? (
        <div className={Classes.TEXT_SMALL} data-testid="ingest-cancel-note">
          {cancelNote(done.evidence)}
        </div>
      ) : null}
      <Collapse isOpen={showFiles}>
        <div className="dossier-summary-files">
          <HTMLTable compact className="dossier-summary-table" aria-label="Ingest outcome per file" data-testid="ingest-summary-files">
            <thead>
              <tr>
                <th>Path</th>
                <th>Format</th>
                <th>Outcome</th>
                <th className="dossier-num">Lines</th>
                <th className="dossier-num">Events</th>
                <th className="dossier-num">Raw-only</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {done.evidence.map((e) => (
                <tr key={`${e.id ?? 'x'}:${e.path}`} data-path={e.path} data-status={e.status}>
                  <td className="dossier-mono">{e.path}</td>
                  <td title={formatLabel(e.format, formats)}>{shortFormatLabel(e.format, formats)}</td>
                  <td className="dossier-nowrap">
                    <Tag minimal intent={outcomeIntent(e.outcome)} className="dossier-small-tag">
                      {humanize(e.outcome)}
                    </Tag>{' '}
                    <Tag minimal intent={statusIntent(e.status)} className="dossier-small-tag">
                      {e.status}
                    </Tag>
                  </td>
                  <td className="dossier-num">{formatCount(e.lines)}</td>
                  <td className="dossier-num">{formatCount(e.events)}</td>
                  <td className="dossier-num">{formatCount(e.rawOnly)}</td>
                  <td className={`${Classes.TEXT_MUTED} dossier-summary-detail`}>{e.detail}</td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
        </div>
      </Collapse>
    </Callout>
  );
}

/** The running ingest (progress, cancel) or the one that just ended (summary); nothing otherwise. */
export function IngestStatusCard({ casePath, formats }: Readonly<{ casePath: string; formats: ReadonlyArray<FormatOption> | undefined }>) {
  const view = useIngestView(casePath);
  const dismiss = useDismissFinished(casePath);
  if (view.error !== null) {
    return <ErrorCallout error={view.error} title="The ingest status could not be read" />;
  }
  if (view.data === undefined) {
    return null;
  }
  if (view.data.running) {
    return <Running view={view.data} />;
  }
  return view.data.finished !== null ? <Finished done={view.data.finished} formats={formats} onDismiss={dismiss} /> : null;
}
