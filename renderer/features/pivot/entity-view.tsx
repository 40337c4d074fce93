import { Button, Classes, HTMLTable, NonIdealState, Section, SectionCard, Spinner, Tag, type Intent } from '@blueprintjs/core';
import { lazy, Suspense } from 'react';
import type { Finding, FindingSeverity } from '../../../shared/domain/findings';
import type { PivotEntity, PivotRelated, PivotSummary } from '../../../shared/domain/pivot';
import type { Histogram } from '../../../shared/domain/timeline';
import { useTheme } from '../../app/theme';
import { ErrorCallout } from '../../components/error-callout';
import { entityFilter, openPivot, openTimeline } from './open-pivot';
import { count, pivotTime } from './pivot-format';
import { SessionsTable } from './sessions-view';
import { usePivotEntity, usePivotTimeline } from './use-pivot-data';

const HistogramChart = lazy(async () => ({ default: (await import('../timeline/histogram-chart')).HistogramChart }));

const KIND_LABEL: Readonly<Record<PivotEntity['kind'], string>> = { ip: 'Address', user: 'User', pid: 'Process', host: 'Host' };

const SEVERITY_INTENT: Readonly<Record<FindingSeverity, Intent>> = { info: 'none', low: 'primary', medium: 'warning', high: 'danger', critical: 'danger' };

type Props = Readonly<{ casePath: string; entity: PivotEntity; zone: string }>;

/** The timeline showing the entity's events, optionally in [from, to). */
function showEvents(entity: PivotEntity, extra: Readonly<{ from?: number; to?: number; sourceKinds?: string[] }> = {}): void {
  openTimeline({ ...entityFilter(entity), ...extra });
}

function Header({ summary, zone }: Readonly<{ summary: PivotSummary; zone: string }>) {
  const { entity } = summary;
  return (
    <div className="dossier-pivot-header" data-testid="pivot-header">
      <div>
        <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>{KIND_LABEL[entity.kind]}</div>
        <h2 className="dossier-pivot-title dossier-mono dossier-break" data-testid="pivot-title">
          {summary.display}
        </h2>
      </div>
      <dl className="dossier-pivot-facts">
        <div>
          <dt>First seen</dt>
          <dd data-testid="pivot-first">{pivotTime(summary.first, zone)}</dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd data-testid="pivot-last">{pivotTime(summary.last, zone)}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd data-testid="pivot-total">{count(summary.total)}</dd>
        </div>
        <div>
          <dt>Sources</dt>
          <dd>{summary.sources.length}</dd>
        </div>
      </dl>
      <span className="dossier-grow" />
      <Button icon="th-list" text="All its events in the timeline" onClick={() => showEvents(entity)} />
    </div>
  );
}

function SourcesTable({ summary, zone }: Readonly<{ summary: PivotSummary; zone: string }>) {
  return (
    <HTMLTable compact striped className="dossier-pivot-table" data-testid="pivot-sources">
      <thead>
        <tr>
          <th>Source</th>
          <th>Evidence</th>
          <th className="dossier-num">Events</th>
          <th>First</th>
          <th>Last</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {summary.sources.flatMap((s) =>
          s.evidence.map((e, i) => (
            <tr key={`${s.sourceKind}:${e.evidenceId}`} data-testid="pivot-source-row" data-source-kind={s.sourceKind}>
              <td>{i === 0 ? <Tag minimal>{s.sourceKind}</Tag> : null}</td>
              <td className="dossier-mono dossier-break">{e.evidencePath}</td>
              <td className="dossier-num">{count(e.count)}</td>
              <td className="dossier-nowrap">{pivotTime(e.first, zone)}</td>
              <td className="dossier-nowrap">{pivotTime(e.last, zone)}</td>
              <td>
                <Button size="small" variant="minimal" icon="th-list" aria-label={`Show in the timeline: ${s.sourceKind} ${e.evidencePath}`} onClick={() => openTimeline({ ...entityFilter(summary.entity), evidenceIds: [e.evidenceId] })} />
              </td>
            </tr>
          )),
        )}
      </tbody>
    </HTMLTable>
  );
}

function MiniTimeline({ casePath, entity, zone }: Props) {
  const { theme } = useTheme();
  const t = usePivotTimeline(casePath, entity);
  if (t.isPending) {
    return <Spinner size={20} />;
  }
  if (t.isError) {
    return <ErrorCallout error={t.error} title="The timeline of this entity could not be drawn" />;
  }
  if (t.data.total === 0) {
    return <div className={Classes.TEXT_MUTED}>No timed events.</div>;
  }
  const histogram: Histogram = { ...t.data, marked: [], source: 'events', elapsedMs: 0 };
  return (
    <div data-testid="pivot-timeline">
      <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>
        per {t.data.bucketLabel} · stacked by source · click a bar or drag across bars to see those events in the timeline
      </div>
      <div className="dossier-pivot-chart">
        <Suspense fallback={<Spinner size={20} />}>
          <HistogramChart histogram={histogram} groupBy="sourceKind" zone={zone} dark={theme === 'dark'} onRange={(from, to) => showEvents(entity, { from, to })} />
        </Suspense>
      </div>
    </div>
  );
}

function ValueList({ list, entity }: Readonly<{ list: PivotRelated; entity: PivotEntity }>) {
  const max = Math.max(1, ...list.values.map((v) => v.count));
  return (
    <div className="dossier-pivot-list" data-testid="pivot-list" data-list={list.id}>
      <div className="dossier-pivot-list-title">
        {list.label}
        {list.sampled ? <Tag minimal className="dossier-pivot-sampled">sample</Tag> : null}
      </div>
      {list.values.length === 0 ? <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>None.</div> : null}
      <ol>
        {list.values.map((v) => (
          <li key={v.value} data-testid="pivot-value" data-value={v.value}>
            <span className="dossier-pivot-bar" style={{ width: `${Math.round((v.count / max) * 100)}%` }} />
            {list.pivotKind === null ? (
              <span className="dossier-pivot-value dossier-mono dossier-break" title={v.value}>
                {v.value}
              </span>
            ) : (
              <button
                type="button"
                className="dossier-pivot-value dossier-pivot-link dossier-mono dossier-break"
                title={`Pivot on ${list.pivotKind} ${v.value}`}
                onClick={() => list.pivotKind !== null && openPivot(list.pivotKind, v.value)}
              >
                {v.value}
              </button>
            )}
            <span className="dossier-pivot-count">{count(v.count)}</span>
          </li>
        ))}
      </ol>
      {list.id === 'kinds' ? (
        <Button size="small" variant="minimal" icon="th-list" text="Events in the timeline" onClick={() => showEvents(entity)} />
      ) : null}
    </div>
  );
}

function FindingItem({ finding, zone }: Readonly<{ finding: Finding; zone: string }>) {
  return (
    <li className="dossier-pivot-finding" data-testid="pivot-finding" data-rule={finding.rule}>
      <Tag intent={SEVERITY_INTENT[finding.severity]} minimal={finding.severity === 'info' || finding.severity === 'low'}>
        {finding.severity}
      </Tag>
      <div className="dossier-pivot-finding-main">
        <div className="dossier-pivot-finding-title">{finding.title}</div>
        <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>
          <span className="dossier-mono">{finding.rule}</span> · {finding.category.replace(/_/gu, ' ')} · {count(finding.count)} events · {pivotTime(finding.first, zone)} → {pivotTime(finding.last, zone)}
          {finding.review !== 'unreviewed' ? ` · ${finding.review.replace(/_/gu, ' ')}` : ''}
        </div>
      </div>
      {finding.first !== null ? (
        <Button
          size="small"
          variant="minimal"
          icon="th-list"
          text="Events"
          onClick={() => openTimeline({ from: finding.first ?? undefined, to: (finding.last ?? finding.first ?? 0) + 1, ...(finding.srcIps.length > 0 ? { srcIps: finding.srcIps.slice(0, 200) } : {}) })}
        />
      ) : null}
    </li>
  );
}

/** One entity across every source: header, per-source counts, mini-timeline, related values, who else, findings. */
export function EntityView({ casePath, entity, zone }: Props) {
  const summary = usePivotEntity(casePath, entity);
  if (summary.isPending) {
    return <Spinner size={28} className="dossier-section-spinner" />;
  }
  if (summary.isError) {
    return <ErrorCallout error={summary.error} title="This entity could not be looked up" />;
  }
  const s = summary.data;
  if (s.total === 0) {
    return <NonIdealState icon="search" title="Nothing found" description={`No event of this case names ${KIND_LABEL[entity.kind].toLowerCase()} ${s.display}.`} />;
  }
  return (
    <div className="dossier-pivot-entity" data-testid="pivot-entity" data-kind={entity.kind} data-value={entity.value}>
      <Header summary={s} zone={zone} />
      <div className="dossier-pivot-columns">
        <Section compact title="In every source" icon="database">
          <SectionCard padded={false}>
            <SourcesTable summary={s} zone={zone} />
          </SectionCard>
        </Section>
        <Section compact title="Findings" icon="warning-sign" data-testid="pivot-findings">
          <SectionCard>
            {s.findings.length === 0 ? (
              <div className={Classes.TEXT_MUTED}>No finding names it.</div>
            ) : (
              <ol className="dossier-pivot-findings">
                {s.findings.map((f) => (
                  <FindingItem key={f.id} finding={f} zone={zone} />
                ))}
              </ol>
            )}
          </SectionCard>
        </Section>
      </div>
      <Section compact title="Activity over time" icon="timeline-bar-chart">
        <SectionCard>
          <MiniTimeline casePath={casePath} entity={entity} zone={zone} />
        </SectionCard>
      </Section>
      {entity.kind === 'ip' || entity.kind === 'user' ? (
        <Section compact title={entity.kind === 'ip' ? 'Login sessions from this address (auth logs)' : 'Login sessions of this user (auth logs)'} icon="log-in" data-testid="pivot-sessions">
          <SectionCard>
            <SessionsTable casePath={casePath} filters={entity.kind === 'ip' ? { ip: entity.value } : { user: entity.value }} zone={zone} compact />
          </SectionCard>
        </Section>
      ) : null}
      <Section compact title="Related values" icon="list-columns">
        <SectionCard>
          <div className="dossier-pivot-grid" data-testid="pivot-related">
            {s.related.map((r) => (
              <ValueList key={r.id} list={r} entity={entity} />
            ))}
          </div>
        </SectionCard>
      </Section>
      <Section compact title="Who else" icon="people">
        <SectionCard>
          <div className="dossier-pivot-grid" data-testid="pivot-who-else">
            {s.whoElse.map((r) => (
              <ValueList key={r.id} list={r} entity={entity} />
            ))}
          </div>
        </SectionCard>
      </Section>
    </div>
  );
}
