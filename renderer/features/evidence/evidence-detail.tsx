import { Field } from '../../components/field';
import { Callout, Classes, Drawer, Section, SectionCard } from '@blueprintjs/core';
import type { EvidenceItem } from '../../../shared/domain/evidence';
import { formatInZone, formatUtc } from '../../components/format-time';
import { formatBytes, formatCount, formatPercent } from '../ingest/format-progress';
import { formatClockOffset } from './clock-offset';
import { CopyButton } from './copy-button';
import { OutcomeTags } from './evidence-table';
import { formatLabel, formatSourceLabel, humanize, isIncomplete, yearReasonLabel, type FormatOption } from './evidence-labels';
import { RetimeForm } from './retime-form';

const DRAWER_WIDTH = 560;

function None() {
  return <span className={Classes.TEXT_DISABLED}>none</span>;
}

function Hash({ value, what, testId }: Readonly<{ value: string | null; what: string; testId: string }>) {
  if (value === null) {
    return <None />;
  }
  return (
    <span className="dossier-hash-full">
      <code className="dossier-mono dossier-break" data-testid={testId}>
        {value}
      </code>
      <CopyButton text={value} what={what} />
    </span>
  );
}

function Time({ iso, zone }: Readonly<{ iso: string | null; zone: string }>) {
  if (iso === null) {
    return <None />;
  }
  return (
    <span className="dossier-mono">
      {formatInZone(iso, zone)} <span className={Classes.TEXT_MUTED}>({zone})</span> · {formatUtc(iso)} UTC
    </span>
  );
}

type Props = Readonly<{
  item: EvidenceItem | null;
  casePath: string;
  caseZone: string;
  formats: ReadonlyArray<FormatOption> | undefined;
  ingestRunning: boolean;
  onClose: () => void;
}>;

/** One evidence in full: every recorded field, and its timing settings. */
export function EvidenceDetail({ item, casePath, caseZone, formats, ingestRunning, onClose }: Props) {
  return (
    <Drawer
      isOpen={item !== null}
      onClose={onClose}
      size={DRAWER_WIDTH}
      title={item === null ? '' : <span className="dossier-break">{item.path}</span>}
      icon="document"
      className="dossier-evidence-drawer"
    >
      {item !== null ? (
        <div className="dossier-drawer-body" data-testid="evidence-detail">
          {isIncomplete(item.status) ? (
            <Callout compact intent={item.status === 'failed' ? 'danger' : 'warning'} title={`Ingest ${item.status}`} data-testid="evidence-incomplete">
              {item.outcomeDetail}
            </Callout>
          ) : null}
          <Section compact title="File" icon="document">
            <SectionCard>
              <dl className="dossier-fields dossier-fields-narrow">
                <Field label="Path" testId="detail-path"><span className="dossier-mono dossier-break">{item.path}</span></Field>
                <Field label="Original path">{item.originalPath === null ? <None /> : <span className="dossier-mono dossier-break">{item.originalPath}</span>}</Field>
                <Field label="Case folder"><span className="dossier-mono dossier-break">{item.rootPath}</span></Field>
                <Field label="UAC area">{item.uacArea ?? <None />}</Field>
                <Field label="Container">{item.container}</Field>
                <Field label="Size">
                  {formatBytes(item.size)} ({formatCount(item.size)} bytes)
                  {item.contentSize !== null && item.contentSize !== item.size ? `; ${formatCount(item.contentSize)} bytes decompressed` : ''}
                </Field>
                <Field label="Modified"><Time iso={item.mtimeUtc} zone={caseZone} /></Field>
              </dl>
            </SectionCard>
          </Section>
          <Section compact title="Integrity" icon="endorsed">
            <SectionCard>
              <dl className="dossier-fields dossier-fields-narrow">
                <Field label="SHA-256"><Hash value={item.sha256} what="SHA-256" testId="detail-sha256" /></Field>
                <Field label="MD5"><Hash value={item.md5} what="MD5" testId="detail-md5" /></Field>
                <Field label="Content SHA-256"><Hash value={item.contentSha256} what="content SHA-256" testId="detail-content-sha256" /></Field>
              </dl>
            </SectionCard>
          </Section>
          <Section compact title="Reading" icon="import">
            <SectionCard>
              <dl className="dossier-fields dossier-fields-narrow">
                <Field label="Format" testId="detail-format">
                  {formatLabel(item.format, formats)}
                  <span className={Classes.TEXT_MUTED}>
                    {' '}({formatPercent(item.formatConfidence)}{formatSourceLabel(item.formatSource) !== '' ? `, ${formatSourceLabel(item.formatSource)}` : ''})
                  </span>
                </Field>
                <Field label="Parser"><span className="dossier-mono">{item.parser === '' ? '—' : item.parser}</span> ({humanize(item.sourceKind)})</Field>
                <Field label="Outcome" testId="detail-outcome"><OutcomeTags item={item} /></Field>
                <Field label="Detail" testId="detail-outcome-detail"><span className="dossier-prewrap">{item.outcomeDetail === '' ? '—' : item.outcomeDetail}</span></Field>
                <Field label="Lines" testId="detail-lines">{formatCount(item.lines)}</Field>
                <Field label="Events" testId="detail-events">{formatCount(item.events)}</Field>
                <Field label="Raw-only lines" testId="detail-raw-only">{formatCount(item.rawOnly)}</Field>
                <Field label="Without time">{formatCount(item.untimed)}</Field>
                <Field label="Invalid UTF-8">{formatCount(item.invalidUtf8)}</Field>
                <Field label="Oversized lines">{formatCount(item.oversized)}</Field>
              </dl>
            </SectionCard>
          </Section>
          <Section compact title="Time" icon="time">
            <SectionCard>
              <dl className="dossier-fields dossier-fields-narrow">
                <Field label="First" testId="detail-first"><Time iso={item.firstUtc} zone={caseZone} /></Field>
                <Field label="Last" testId="detail-last"><Time iso={item.lastUtc} zone={caseZone} /></Field>
                <Field label="File's zone">{item.timeZone}</Field>
                <Field label="Clock offset"><span className="dossier-mono">{formatClockOffset(item.clockOffsetMs)}</span></Field>
                <Field label="Year">{item.yearBase === null ? <None /> : `${item.yearBase} (${yearReasonLabel(item.yearReason)})`}</Field>
              </dl>
            </SectionCard>
            <SectionCard>
              <RetimeForm key={`${item.id}:${item.timeZone}:${item.clockOffsetMs}:${item.yearBase ?? ''}`} item={item} casePath={casePath} ingestRunning={ingestRunning} />
            </SectionCard>
          </Section>
          <Section compact title="Provenance" icon="history">
            <SectionCard>
              <dl className="dossier-fields dossier-fields-narrow">
                <Field label="Evidence">#{item.id}</Field>
                <Field label="Version">
                  v{item.version}
                  {item.supersedes !== null ? ` (supersedes #${item.supersedes})` : ''}
                </Field>
                <Field label="Added"><Time iso={item.addedUtc} zone={caseZone} /></Field>
              </dl>
            </SectionCard>
          </Section>
        </div>
      ) : null}
    </Drawer>
  );
}
