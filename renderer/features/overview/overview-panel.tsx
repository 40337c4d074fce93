import { Field } from '../../components/field';
import { Button, Classes, Section, SectionCard } from '@blueprintjs/core';
import { useState } from 'react';
import type { SectionProps } from '../workspace/sections';
import { formatInZone, formatUtc } from '../../components/format-time';
import { MetaForm } from './meta-form';
import { HypothesesOverview, NotesOverview } from '../hypotheses/overview-summary';

function OrNone({ text }: Readonly<{ text: string }>) {
  return text === '' ? <span className={Classes.TEXT_DISABLED}>none</span> : <>{text}</>;
}

function Count(props: Readonly<{ label: string; value: number; testId: string; onOpen?: () => void; openLabel?: string }>) {
  return (
    <div className="dossier-count" data-testid={props.testId}>
      <div className="dossier-count-value">{props.value.toLocaleString('en-US')}</div>
      <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>{props.label}</div>
      {props.onOpen !== undefined ? (
        <Button size="small" variant="minimal" intent="primary" endIcon="arrow-right" text={props.openLabel} onClick={props.onOpen} className="dossier-count-link" />
      ) : null}
    </div>
  );
}

/** The case's metadata (editable in place), what it contains, and where it lives. */
export function OverviewPanel({ summary, onNavigate }: SectionProps) {
  const [editing, setEditing] = useState(false);
  const zone = summary.timeZone;

  return (
    <div className="dossier-panel" data-testid="overview">
      <Section
        compact
        title="Case details"
        icon="id-number"
        rightElement={editing ? undefined : <Button size="small" icon="edit" text="Edit" onClick={() => setEditing(true)} />}
      >
        <SectionCard>
          {editing ? (
            <MetaForm summary={summary} onDone={() => setEditing(false)} />
          ) : (
            <dl className="dossier-fields" data-testid="case-details">
              <Field label="Name" testId="field-name">{summary.name}</Field>
              <Field label="Number" testId="field-number"><OrNone text={summary.number} /></Field>
              <Field label="Examiner" testId="field-examiner"><OrNone text={summary.examiner} /></Field>
              <Field label="Time zone" testId="field-timeZone">{zone}</Field>
              <Field label="Classification" testId="field-classification"><OrNone text={summary.classification} /></Field>
              <Field label="Description" testId="field-description">
                <div className="dossier-prewrap"><OrNone text={summary.description} /></div>
              </Field>
            </dl>
          )}
        </SectionCard>
      </Section>
      <Section compact title="Contents" icon="database">
        <SectionCard>
          <div className="dossier-counts">
            <Count label="Evidence sources" value={summary.counts.evidence} testId="count-evidence" onOpen={() => onNavigate('evidence')} openLabel="Open evidence" />
            <Count label="Events" value={summary.counts.events} testId="count-events" />
            <Count label="Audit entries" value={summary.counts.auditEntries} testId="count-audit" />
          </div>
        </SectionCard>
      </Section>
      <HypothesesOverview />
      <NotesOverview zone={zone} />
      <Section compact title="Case file" icon="document">
        <SectionCard>
          <dl className="dossier-fields">
            <Field label="Path"><span className="dossier-mono dossier-break">{summary.path}</span></Field>
            <Field label="Created">
              <span title={`${formatUtc(summary.createdUtc)} UTC`}>{formatInZone(summary.createdUtc, zone)}</span>
            </Field>
            <Field label="Modified">
              <span title={`${formatUtc(summary.modifiedUtc)} UTC`}>{formatInZone(summary.modifiedUtc, zone)}</span>
            </Field>
            <Field label="Format">
              schema {summary.schemaVersion}, Dossier {summary.appVersion}
              {summary.readOnly ? ' (read-only)' : ''}
            </Field>
          </dl>
        </SectionCard>
      </Section>
    </div>
  );
}
