import './evidence.css';
import { Button, Classes, Icon, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import { useState } from 'react';
import { useApi } from '../../app/api-context';
import { ErrorCallout } from '../../components/error-callout';
import { useAppInfo } from '../cases/use-cases';
import { AddEvidenceView } from '../ingest/add-evidence-view';
import { formatCount } from '../ingest/format-progress';
import { IngestStatusCard } from '../ingest/ingest-progress';
import { useIngestFormats, useIngestView } from '../ingest/use-ingest';
import type { SectionProps } from '../workspace/sections';
import { EvidenceDetail } from './evidence-detail';
import { EvidenceTable } from './evidence-table';
import { useEvidenceList } from './use-evidence';

type Mode = Readonly<{ kind: 'list' }> | Readonly<{ kind: 'add'; folder: string | null }>;

/** The case's evidence: what was ingested, how it was read, its hashes and timing; and "Add evidence". */
export function EvidencePanel({ summary }: SectionProps) {
  const api = useApi();
  const info = useAppInfo();
  const ingest = useIngestView(summary.path);
  const running = ingest.data?.running === true;
  const list = useEvidenceList(summary.path, running);
  const formats = useIngestFormats();
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [pickError, setPickError] = useState<unknown>(null);
  const native = info.data?.nativeDialogs === true;
  const items = list.data ?? [];
  const selected = items.find((e) => e.id === selectedId) ?? null;
  const totals = items.reduce((t, e) => ({ lines: t.lines + e.lines, events: t.events + e.events }), { lines: 0, events: 0 });

  async function addEvidence(): Promise<void> {
    setPickError(null);
    if (!native) {
      setMode({ kind: 'add', folder: null });
      return;
    }
    try {
      const picked = await api['dialog.pickFolder']({});
      if (picked.path !== null) {
        setMode({ kind: 'add', folder: picked.path });
      }
    } catch (error) {
      setPickError(error);
    }
  }

  if (mode.kind === 'add') {
    return (
      <div className="dossier-panel dossier-evidence-panel" data-testid="evidence">
        <AddEvidenceView
          summary={summary}
          nativeDialogs={native}
          initialFolder={mode.folder}
          onCancel={() => setMode({ kind: 'list' })}
          onStarted={() => setMode({ kind: 'list' })}
        />
      </div>
    );
  }

  return (
    <div className="dossier-panel dossier-evidence-panel" data-testid="evidence">
      <div className="dossier-toolbar">
        <Button
          icon="add"
          intent="primary"
          text="Add evidence…"
          disabled={running}
          title={running ? 'An ingest is running: wait for it or cancel it' : undefined}
          onClick={() => void addEvidence()}
          data-testid="add-evidence-button"
        />
        <span className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`} data-testid="evidence-count">
          {list.isSuccess
            ? `${formatCount(items.length)} ${items.length === 1 ? 'source' : 'sources'} · ${formatCount(totals.lines)} lines · ${formatCount(totals.events)} events`
            : ''}
        </span>
        {ingest.data !== undefined && !running && !ingest.data.fullText.complete && ingest.data.fullText.total > 0 ? (
          <Tag minimal intent="warning" icon="search-text" data-testid="full-text-incomplete" htmlTitle="Text search covers only the lines indexed so far (the last ingest stopped before indexing ended)">
            Full-text index: {formatCount(ingest.data.fullText.indexed)} of {formatCount(ingest.data.fullText.total)} lines
          </Tag>
        ) : null}
        <span className="dossier-grow" />
        <span className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL} dossier-zone-note`} data-testid="evidence-zone">
          <Icon icon="time" size={12} /> Times in {summary.timeZone} · hover a time for UTC
        </span>
      </div>
      <ErrorCallout error={pickError} title="The folder could not be chosen" />
      <IngestStatusCard casePath={summary.path} formats={formats.data} />
      <ErrorCallout error={list.error} title="The evidence could not be listed" />
      {list.isPending ? <Spinner size={24} /> : null}
      {list.isSuccess && items.length === 0 && !running ? (
        <NonIdealState
          icon="inbox"
          title="No evidence yet"
          description="Add the folder with the collected logs: Dossier reads it, hashes every file and builds the timeline. The folder is never modified."
          action={<Button icon="add" intent="primary" text="Add evidence…" onClick={() => void addEvidence()} />}
          className="dossier-evidence-empty"
        />
      ) : null}
      {items.length > 0 ? <EvidenceTable items={items} zone={summary.timeZone} formats={formats.data} selectedId={selectedId} onSelect={setSelectedId} /> : null}
      <EvidenceDetail item={selected} casePath={summary.path} caseZone={summary.timeZone} formats={formats.data} ingestRunning={running} onClose={() => setSelectedId(null)} />
    </div>
  );
}
