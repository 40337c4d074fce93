import { Button, ButtonGroup, Callout, Card, Classes, H4, H5, HTMLTable, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { RestartRow } from '../../../shared/domain/process';
import type { TimelineFilter } from '../../../shared/domain/timeline';
import { useApi } from '../../app/api-context';
import { useTheme } from '../../app/theme';
import { useUpdateEvidence } from '../evidence/use-evidence';
import { AddToHypothesis } from '../hypotheses/add-to-hypothesis';
import { DEFAULT_VIEW, hashForState } from '../timeline/view-state';
import { formatShortTime } from '../timeline/zoned-time';
import type { SectionProps } from '../workspace/sections';
import { ProcessChart } from './process-chart';
import { gapsOption, lifetimeOption, restartsVsAuthOption, scatterOption } from '../../../shared/charts/worker-charts';
import { PANEL_CHART_UI } from './chart-tip';
import './process.css';

type Range = Readonly<{ from: number; to: number }>;

export const processKeys = {
  all: (casePath: string) => ['process', casePath] as const,
  workers: (casePath: string, range: Range | null) => ['process', casePath, 'workers', range] as const,
  restarts: (casePath: string) => ['process', casePath, 'restarts'] as const,
};

const pidList = (pids: ReadonlyArray<number>): string => (pids.length === 0 ? '-' : pids.length <= 3 ? pids.join(' ') : `${pids.slice(0, 2).join(' ')} … ${pids[pids.length - 1] ?? ''} (${pids.length})`);
const seconds = (ms: number | null): string => (ms === null ? '-' : `${Math.round(ms / 100) / 10} s`);

/**
 * Apache workers: worker PIDs over time (UNIQUE_ID), per-slot PID lifetimes, counter gaps, restart
 * estimates and the auth.log commands that explain them, with the clock offset they suggest.
 * Brushing a chart narrows everything to that range; rows and points open the timeline.
 */

/** How a restart is named when it is linked to a hypothesis (UTC, so the label reads the same in any view). */
function restartLabel(r: RestartRow): string {
  const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const who = r.authMatch === null ? 'unexplained' : `${r.authMatch.user ?? '?'}: ${r.authMatch.command}`;
  return `${r.kind === 'full' ? 'Full restart' : 'Slot recycle'} ${iso(r.start)} – ${iso(r.end)} UTC (${who})`;
}

export function ProcessPanel({ summary, onNavigate }: SectionProps) {
  const api = useApi();
  const client = useQueryClient();
  const dark = useTheme().theme === 'dark';
  const zone = summary.timeZone;
  const fmt = useCallback((ms: number) => formatShortTime(ms, zone), [zone]);
  const [range, setRange] = useState<Range | null>(null);
  const workers = useQuery({ queryKey: processKeys.workers(summary.path, range), queryFn: () => api['process.workers'](range ?? {}), placeholderData: keepPreviousData });
  const restarts = useQuery({ queryKey: processKeys.restarts(summary.path), queryFn: () => api['process.restarts']({}) });
  const retime = useUpdateEvidence(summary.path);

  const openTimeline = (filter: TimelineFilter): void => {
    const hash = hashForState({ ...DEFAULT_VIEW, filter });
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${hash}`);
    onNavigate('timeline');
  };
  const shown = useMemo(() => (restarts.data?.estimates ?? []).filter((r) => range === null || (r.end >= range.from && r.start <= range.to)), [restarts.data, range]);
  const commands = useMemo(() => (restarts.data?.authCommands ?? []).filter((c) => range === null || (c.time >= range.from - 3_600_000 && c.time <= range.to + 3_600_000)), [restarts.data, range]);
  const bands = useMemo(() => shown.map((r) => ({ start: r.start, end: r.end, kind: r.kind })), [shown]);
  const w = workers.data;
  const chartRange = range ?? w?.range ?? null;

  const scatter = useMemo(() => (w === undefined ? null : scatterOption(w.points, bands, fmt, dark, chartRange, PANEL_CHART_UI)), [w, bands, dark, fmt, chartRange]);
  const lifetimes = useMemo(() => (w === undefined ? null : lifetimeOption(w.lifetimes, bands, fmt, dark, chartRange, PANEL_CHART_UI)), [w, bands, dark, fmt, chartRange]);
  const gaps = useMemo(() => (w === undefined ? null : gapsOption(w.gaps, fmt, dark, PANEL_CHART_UI)), [w, dark, fmt]);
  const vsAuth = useMemo(() => restartsVsAuthOption(shown, commands, 0, fmt, dark, chartRange, PANEL_CHART_UI), [shown, commands, dark, fmt, chartRange]);

  if (workers.isPending || restarts.isPending) {
    return <Spinner className="dossier-section-spinner" />;
  }
  if (workers.isError || restarts.isError) {
    return <NonIdealState icon="error" title="Could not analyse the Apache workers" description={(workers.error ?? restarts.error)?.message ?? ''} />;
  }
  const offset = restarts.data.clockOffset;
  const eventsOf = (r: RestartRow): TimelineFilter => ({ from: r.start - 60_000, to: r.end + 60_000 });

  return (
    <div className="dossier-proc" data-testid="process-panel">
      <div className="dossier-proc-head">
        <H4>Apache workers</H4>
        <span className={Classes.TEXT_MUTED} data-testid="process-summary">
          {w?.available === true
            ? `${w.decodedRequests.toLocaleString('en-US')} requests with a UNIQUE_ID (${[...new Set(w.evidence.flatMap((e) => e.layouts))].join(', ')} layout)`
            : 'No UNIQUE_ID in the access logs: restarts come from the error log alone.'}
        </span>
        {range !== null && (
          <Tag large interactive={false} onRemove={() => setRange(null)} data-testid="process-range">
            {fmt(range.from)} – {fmt(range.to)}
          </Tag>
        )}
      </div>

      {w !== undefined && w.evidence.length > 0 && (
        <Callout compact intent={w.evidence.some((e) => (e.diffMedianMs ?? 0) !== 0 || (e.diffSpreadMs ?? 0) > 1000 || e.malformed > 0) ? 'warning' : 'none'} data-testid="uid-clock">
          {w.evidence.map((e) => (
            <div key={e.evidenceId}>
              {e.path}: logged time − UNIQUE_ID time: median {seconds(e.diffMedianMs)}, spread {seconds(e.diffSpreadMs)} (min {seconds(e.diffMinMs)}, max {seconds(e.diffMaxMs)})
              {e.malformed > 0 ? ` · ${e.malformed} malformed ids (${e.malformedExample ?? ''})` : ''}
            </div>
          ))}
        </Callout>
      )}

      {w?.available === true && scatter !== null && (
        <Card className="dossier-proc-card">
          <H5>Worker PIDs over time (coloured by scoreboard slot)</H5>
          <ProcessChart
            option={scatter}
            height={300}
            testId="workers-scatter"
            label="Request time against worker PID, coloured by scoreboard slot"
            onBrush={(from, to) => setRange({ from, to })}
            onItem={(series, i) => {
              const slot = [...new Set(w.points.map((p) => p.slot))].sort((a, b) => (a ?? -1) - (b ?? -1))[series];
              const p = w.points.filter((x) => x.slot === slot)[i];
              if (p !== undefined) {
                openTimeline({ from: p.t, to: p.t + w.bucketMs, sourceKinds: ['apache_access'] });
              }
            }}
          />
        </Card>
      )}

      <Card className="dossier-proc-card">
        <H5>Restarts and auth.log commands</H5>
        <ProcessChart
          option={vsAuth}
          height={150}
          testId="restarts-chart"
          label="Restart estimates and auth.log Apache commands over time"
          onBrush={(from, to) => setRange({ from, to })}
          onItem={(series, i) => {
            const r = series === 0 ? shown[i] : undefined;
            const c = series === 1 ? commands[i] : undefined;
            if (r !== undefined) {
              openTimeline(eventsOf(r));
            } else if (c !== undefined) {
              openTimeline({ from: c.time, to: c.time + 1000, evidenceIds: [c.evidenceId] });
            }
          }}
        />
        {offset !== null && (
          <Callout compact icon="time" intent="primary" className="dossier-proc-offset" data-testid="clock-offset">
            auth.log vs Apache: {offset.medianS} s (spread {offset.spreadS} s, {offset.pairs} matched pair{offset.pairs === 1 ? '' : 's'}).{' '}
            {offset.evidence.map((e) => (
              <Button
                key={e.evidenceId}
                small
                icon="automatic-updates"
                disabled={e.currentOffsetMs === e.suggestedOffsetMs || retime.isPending}
                onClick={() =>
                  retime.mutate(
                    { id: e.evidenceId, clockOffsetMs: e.suggestedOffsetMs },
                    { onSuccess: () => void client.invalidateQueries({ queryKey: processKeys.all(summary.path) }) },
                  )
                }
              >
                Apply {seconds(e.suggestedOffsetMs)} to {e.path}
              </Button>
            ))}
          </Callout>
        )}
        <HTMLTable compact striped className="dossier-proc-table" data-testid="restarts-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Kind</th>
              <th>Between</th>
              <th>Slots</th>
              <th>PIDs old → new</th>
              <th>Evidence</th>
              <th>Confidence</th>
              <th>auth.log</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} data-testid="restart-row" data-restart-id={r.id} data-kind={r.kind}>
                <td>{r.id}</td>
                <td>{r.kind === 'full' ? `restart (${r.cause.replace('_', ' + ')})` : r.cause === 'crash' ? 'slot: crash' : 'slot recycle'}</td>
                <td>
                  {fmt(r.start)} – {fmt(r.end)}
                </td>
                <td>{r.slots.join(', ') || '-'}</td>
                <td className="dossier-proc-pids">
                  {pidList(r.oldPids)} → {pidList(r.newPids)}
                </td>
                <td>
                  <ul className="dossier-proc-evidence">
                    {r.evidence.slice(0, 4).map((e, i) => (
                      <li key={i}>{e.text}</li>
                    ))}
                  </ul>
                </td>
                <td>
                  <Tag minimal intent={r.confidence === 'high' ? 'success' : r.confidence === 'medium' ? 'primary' : 'none'}>{r.confidence}</Tag>
                </td>
                <td data-testid="restart-auth">
                  {r.authMatch === null ? (
                    <span className={Classes.TEXT_MUTED}>{r.kind === 'full' ? 'unexplained' : '-'}</span>
                  ) : (
                    `${r.authMatch.user ?? '?'}${r.authMatch.from === null ? '' : ` from ${r.authMatch.from}`}: ${r.authMatch.command} (Δ ${r.authMatch.deltaS} s)`
                  )}
                </td>
                <td>
                  <ButtonGroup minimal>
                    <Button small icon="th-list" data-testid="restart-events" onClick={() => openTimeline(eventsOf(r))}>
                      Events
                    </Button>
                    {r.authMatch !== null && (
                      <Button
                        small
                        icon="console"
                        data-testid="restart-command"
                        onClick={() => openTimeline({ from: r.authMatch?.time ?? 0, to: (r.authMatch?.time ?? 0) + 1000, evidenceIds: [r.authMatch?.evidenceId ?? 0] })}
                      >
                        Command
                      </Button>
                    )}
                    <AddToHypothesis small targetKind="restart" targetId={r.id} label={restartLabel(r)} data-testid={`restart-hypothesis-${r.id}`} />
                  </ButtonGroup>
                </td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
        {shown.length === 0 && <div className={Classes.TEXT_MUTED}>No restart in this range.</div>}
      </Card>

      {w?.available === true && scatter !== null && lifetimes !== null && (
        <>
          <Card className="dossier-proc-card">
            <H5>PID lifetimes per slot (first to last request seen)</H5>
            <ProcessChart
              option={lifetimes}
              height={Math.max(120, 24 * new Set(w.lifetimes.map((l) => l.slot)).size + 40)}
              testId="workers-lifetimes"
              label="One bar per worker PID from its first to its last request, one row per scoreboard slot"
              onBrush={(from, to) => setRange({ from, to })}
              onItem={(_s, i) => {
                const l = w.lifetimes[i];
                if (l !== undefined) {
                  openTimeline({ from: l.first, to: l.last + 1000, sourceKinds: ['apache_access'] });
                }
              }}
            />
          </Card>
          <Card className="dossier-proc-card">
            <H5>Counter gaps: requests served but not logged</H5>
            {w.gaps.length === 0 ? (
              <div className={Classes.TEXT_MUTED} data-testid="no-gaps">
                Every request each worker counted is in the log.
              </div>
            ) : (
              gaps !== null && (
                <ProcessChart
                  option={gaps}
                  height={180}
                  testId="workers-gaps"
                  label="Missing requests per worker"
                  onItem={(_s, i) => {
                    const g = w.gaps[i];
                    if (g !== undefined) {
                      openTimeline({ from: g.first, to: g.last + 1000, sourceKinds: ['apache_access'] });
                    }
                  }}
                />
              )
            )}
          </Card>
        </>
      )}

      <Card className="dossier-proc-card">
        <H5>auth.log Apache commands</H5>
        <HTMLTable compact striped className="dossier-proc-table" data-testid="auth-commands">
          <thead>
            <tr>
              <th>Time</th>
              <th>User</th>
              <th>Session</th>
              <th>Command</th>
              <th>Effect</th>
            </tr>
          </thead>
          <tbody>
            {commands.map((c) => (
              <tr key={c.eventId} data-testid="auth-command-row">
                <td>
                  <Button small minimal onClick={() => openTimeline({ from: c.time, to: c.time + 1000, evidenceIds: [c.evidenceId] })}>
                    {fmt(c.time)}
                  </Button>
                </td>
                <td>{c.user ?? '?'}</td>
                <td>{c.session === null ? (c.tty ?? '-') : `from ${c.session.from ?? '?'} (${fmt(c.session.loginTs)})${c.tty === null ? '' : `, ${c.tty}`}`}</td>
                <td className="dossier-proc-cmd">{c.command}</td>
                <td>{c.matchedEstimateId === null ? <Tag minimal>no effect seen</Tag> : <Tag minimal intent="success">{c.matchedEstimateId}</Tag>}</td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
        {commands.length === 0 && <div className={Classes.TEXT_MUTED}>No Apache command in auth.log.</div>}
      </Card>

    </div>
  );
}
