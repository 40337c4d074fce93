import { Button, Classes, HTMLSelect, HTMLTable, NumericInput, Tag } from '@blueprintjs/core';
import { useMemo } from 'react';
import type { MethodInput } from '../../../shared/api/contract';
import type { Snapshot, TallyRow } from '../../../shared/api/methods/hoststate';
import { useApi } from '../../app/api-context';
import { toastError, toastSuccess } from '../../app/toaster';
import { copyText } from '../timeline/clipboard';
import type { EChartsInstance } from '../../charts/echarts-setup';
import { useEChart } from '../../charts/use-echart';
import { stateMixOption, type MixKind, type MixRow } from '../../../shared/charts/state-mix';
import { AddToHypothesis } from '../hypotheses/add-to-hypothesis';

export function formatTime(ts: number | null): string {
  return ts === null ? 'time unknown' : `${new Date(ts).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function captureLabel(c: Snapshot): string {
  return `${formatTime(c.captureTs)} · ${c.evidencePath}`;
}

/** Which capture is shown (the latest by default). */
export function CaptureSelect(props: Readonly<{ captures: ReadonlyArray<Snapshot>; value: number | undefined; selected: Snapshot | null; onChange: (id: number) => void }>) {
  return (
    <label className="dossier-hoststate-field">
      <span className={Classes.TEXT_MUTED}>Capture</span>
      <HTMLSelect
        aria-label="Capture"
        value={String(props.value ?? props.selected?.evidenceId ?? '')}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
        options={props.captures.map((c) => ({ value: String(c.evidenceId), label: captureLabel(c) }))}
      />
    </label>
  );
}

export function ThresholdInput(props: Readonly<{ label: string; value: number; onChange: (n: number) => void; testId: string; suffix?: string }>) {
  return (
    <label className="dossier-hoststate-field">
      <span className={Classes.TEXT_MUTED}>{props.label}</span>
      <NumericInput
        aria-label={props.label}
        data-testid={props.testId}
        min={0}
        max={10_000_000}
        value={props.value}
        onValueChange={(n) => {
          if (Number.isFinite(n) && n >= 0) {
            props.onChange(Math.floor(n));
          }
        }}
        buttonPosition="none"
        small
        className="dossier-hoststate-number"
        rightElement={props.suffix === undefined ? undefined : <span className={`${Classes.TEXT_MUTED} dossier-hoststate-suffix`}>{props.suffix}</span>}
      />
    </label>
  );
}

export function Fact(props: Readonly<{ label: string; value: string | number | null | undefined; testId?: string }>) {
  return (
    <div className="dossier-hoststate-fact" data-testid={props.testId}>
      <div className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>{props.label}</div>
      <div className="dossier-hoststate-fact-value">{props.value === null || props.value === undefined || props.value === '' ? '—' : String(props.value)}</div>
    </div>
  );
}

/** Stacked bars of a state mix; a click on a bar segment gives (row index, key). */
export function MixChart(props: Readonly<{ rows: ReadonlyArray<MixRow>; kind: MixKind; skip?: ReadonlyArray<string>; onPick: (row: number, key: string) => void; testId: string }>) {
  const option = useMemo(() => stateMixOption(props.rows, props.kind, props.skip ?? []), [props.rows, props.kind, props.skip]);
  const onPick = props.onPick;
  const { ref } = useEChart(option, (chart: EChartsInstance) => {
    chart.off('click');
    chart.on('click', (p) => {
      const params = p as { dataIndex?: number; seriesId?: string };
      if (params.dataIndex !== undefined && params.seriesId !== undefined) {
        onPick(params.dataIndex, params.seriesId);
      }
    });
  });
  const height = Math.max(80, 40 + props.rows.length * 34);
  return <div ref={ref} className="dossier-hoststate-chart" style={{ height }} data-testid={props.testId} role="img" aria-label="State mix chart" />;
}

/** A tally (per IP, per /24, per port): flagged rows first in colour; a click opens the events. */
export function TallyTable(props: Readonly<{ title: string; rows: ReadonlyArray<TallyRow>; unit: string; threshold?: number; onOpen: (key: string) => void; testId: string; limit?: number; withMembers?: boolean }>) {
  const rows = props.rows.slice(0, props.limit ?? 50);
  return (
    <div className="dossier-hoststate-block" data-testid={props.testId}>
      <h4 className="dossier-hoststate-h">{props.title}</h4>
      {rows.length === 0 ? (
        <div className={Classes.TEXT_MUTED}>None.</div>
      ) : (
        <HTMLTable compact interactive striped className="dossier-hoststate-table">
          <thead>
            <tr>
              <th>{props.unit}</th>
              <th className="dossier-num">Count</th>
              {props.withMembers === true ? <th className="dossier-num">Hosts</th> : null}
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} onClick={() => props.onOpen(r.key)} className={r.flagged ? 'dossier-hoststate-flagged' : undefined} data-testid="tally-row" title="Show these events in the timeline">
                <td className="dossier-mono">{r.key}</td>
                <td className="dossier-num">{r.count}</td>
                {props.withMembers === true ? <td className="dossier-num">{r.members ?? ''}</td> : null}
                <td>{r.flagged ? <Tag intent="danger" minimal>{props.threshold === undefined ? 'flagged' : `above ${props.threshold}`}</Tag> : null}</td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
      )}
    </div>
  );
}

/** Copies a panel as Markdown for the report (the same text `hoststate.exportPanel` gives the report and hypotheses). */
export function CopyPanelButton(props: Readonly<{ input: MethodInput<'hoststate.exportPanel'> }>) {
  const api = useApi();
  const { panel, evidenceId } = props.input;
  const panelTitle = { serverStatus: 'Server status', netstat: 'Network connections', processes: 'Processes' }[panel];
  return (
    <>
      <AddToHypothesis
        small
        targetKind="panel"
        targetId={`hoststate:${panel}:${evidenceId ?? 'all'}`}
        label={`${panelTitle} panel${evidenceId === undefined ? '' : ` (evidence #${evidenceId})`}`}
      />
      <Button
        small
        icon="clipboard"
        text="Copy for report"
        data-testid="copy-panel"
        onClick={() => {
          api['hoststate.exportPanel'](props.input)
            .then(async (p) => {
              await copyText(`### ${p.title}\n\n${p.markdown}\n`);
              await toastSuccess('Panel copied as Markdown.');
            })
            .catch((e: unknown) => void toastError(e, 'Copy failed'));
        }}
      />
    </>
  );
}
