import { Callout, Classes, HTMLTable, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import { useMemo, useState } from 'react';
import type { ServerStatusSummary } from '../../../shared/domain/hoststate';
import { ErrorCallout } from '../../components/error-callout';
import { CaptureSelect, CopyPanelButton, Fact, formatTime, MixChart, TallyTable, ThresholdInput } from './parts';
import { modeLabel } from '../../../shared/charts/state-mix';
import { captureFilter, openTimeline, useServerStatus } from './use-hoststate';

type Props = Readonly<{ casePath: string; events: number; onNavigate: (section: string) => void }>;

function uptime(seconds: number | null): string | null {
  if (seconds === null) {
    return null;
  }
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${d > 0 ? `${d} d ` : ''}${h} h ${m} min`;
}

export function ServerStatusTab({ casePath, events, onNavigate }: Props) {
  const [evidenceId, setEvidenceId] = useState<number | undefined>(undefined);
  const [slow, setSlow] = useState<number | undefined>(undefined);
  const [clients, setClients] = useState(20);
  const q = useServerStatus(casePath, events, { ...(evidenceId === undefined ? {} : { evidenceId }), ...(slow === undefined ? {} : { slowThresholdSeconds: slow }), clientThreshold: clients });
  const data = q.data;
  const mixRows = useMemo(
    () => (data?.captures ?? []).map((c) => ({ label: formatTime(c.captureTs).slice(5, 16), counts: c.summary.kind === 'server_status' ? c.summary.scoreboardCounts : {} })),
    [data?.captures],
  );
  if (q.isPending) {
    return <Spinner size={24} />;
  }
  if (q.isError) {
    return <ErrorCallout error={q.error} />;
  }
  const sel = data?.selected ?? null;
  if (data === undefined || sel === null || sel.summary.kind !== 'server_status') {
    return <NonIdealState icon="dashboard" title="No server-status capture" description="Ingest a server-status page (HTML, lynx -dump text or ?auto) to see its workers here." />;
  }
  const s: ServerStatusSummary = sel.summary;
  const open = (extra: Parameters<typeof captureFilter>[2]) => openTimeline(captureFilter(sel.evidenceId, sel.captureTs, { kinds: ['status_worker'], ...extra }), onNavigate);
  const flaggedIps = data.byIp.filter((r) => r.flagged).length;
  const flaggedNets = data.byNetwork.filter((r) => r.flagged).length;
  return (
    <div className="dossier-hoststate-tab" data-testid="server-status-tab">
      <div className="dossier-hoststate-toolbar">
        <CaptureSelect captures={data.captures} value={evidenceId} selected={sel} onChange={setEvidenceId} />
        <CopyPanelButton input={{ panel: 'serverStatus', evidenceId: sel.evidenceId, slowThresholdSeconds: data.slowThresholdSeconds, threshold: data.clientThreshold }} />
        <span className={Classes.TEXT_MUTED}>
          Time from {sel.timeSource === 'page' ? 'the page' : sel.timeSource === 'file_mtime' ? "the file's modification time" : 'nowhere'}
          {sel.timeText === null ? '' : ` (${sel.timeText})`}
        </span>
      </div>
      <div className="dossier-hoststate-facts">
        <Fact label="Server" value={s.serverVersion} />
        <Fact label="Current time" value={s.currentTime} />
        <Fact label="Restart time" value={s.restartTime} />
        <Fact label="Uptime" value={uptime(s.uptimeSeconds)} />
        <Fact label="Generation" value={s.generation} />
        <Fact label="Total accesses" value={s.totalAccesses} />
        <Fact label="Busy / idle" value={`${s.busyWorkers ?? '?'} / ${s.idleWorkers ?? '?'}`} testId="busy-idle" />
        <Fact label="Worker rows" value={s.workers} />
      </div>
      <div className="dossier-hoststate-block">
        <h4 className="dossier-hoststate-h">Scoreboard state mix{data.captures.length > 1 ? ' over time' : ''} (open slots left out)</h4>
        <MixChart
          rows={mixRows}
          kind="scoreboard"
          skip={['.']}
          testId="scoreboard-chart"
          onPick={(row, mode) => {
            const c = data.captures[row];
            if (c !== undefined) {
              const pids = c.evidenceId === sel.evidenceId ? [...new Set(data.workers.filter((w) => w.mode === mode && w.pid !== null).map((w) => w.pid as number))] : [];
              openTimeline(captureFilter(c.evidenceId, c.captureTs, { kinds: ['status_worker'], ...(pids.length > 0 && pids.length <= 200 ? { pids } : {}) }), onNavigate);
            }
          }}
        />
        <div className="dossier-hoststate-legend">
          {Object.entries(s.scoreboardCounts)
            .filter(([k]) => k !== '.')
            .map(([k, v]) => (
              <Tag key={k} minimal data-testid={`mode-${k}`}>
                <span className="dossier-mono">{k}</span> {modeLabel(k)}: {v}
              </Tag>
            ))}
        </div>
      </div>
      <div className="dossier-hoststate-block" data-testid="slow-read">
        <div className="dossier-hoststate-toolbar">
          <h4 className="dossier-hoststate-h">Slow-read workers: W or R for longer than</h4>
          <ThresholdInput label="Slow-read threshold" value={data.slowThresholdSeconds} onChange={setSlow} testId="slow-threshold" suffix="s" />
          <span className={Classes.TEXT_MUTED}>default {data.timeout.seconds} s: {data.timeout.source}</span>
        </div>
        {data.slowRead.length === 0 ? (
          <div className={Classes.TEXT_MUTED}>No worker above the threshold.</div>
        ) : (
          <>
            <Callout intent="warning" compact icon="time">
              {data.slowRead.length} worker{data.slowRead.length === 1 ? '' : 's'} in W/R above {data.slowThresholdSeconds} s: the slow-read sign (a client reading the reply very slowly holds the worker).
            </Callout>
            <div className="dossier-hoststate-scroll">
              <HTMLTable compact interactive striped className="dossier-hoststate-table">
                <thead>
                  <tr>
                    <th>Slot</th><th className="dossier-num">PID</th><th>M</th><th className="dossier-num">SS (s)</th><th>Client</th><th>VHost</th><th>Request</th>
                  </tr>
                </thead>
                <tbody>
                  {data.slowRead.map((w) => (
                    <tr key={w.eventId} data-testid="slow-row" onClick={() => open({ srcIps: w.client === '' ? [] : [w.client], ...(w.pid === null ? {} : { pids: [w.pid] }) })} title="Show this worker's event in the timeline">
                      <td className="dossier-mono">{w.slot}</td>
                      <td className="dossier-num">{w.pid ?? '-'}</td>
                      <td className="dossier-mono">{w.mode}</td>
                      <td className="dossier-num">{w.ss ?? ''}</td>
                      <td className="dossier-mono">{w.client}</td>
                      <td>{w.vhost ?? ''}</td>
                      <td className="dossier-mono dossier-ellipsis">{w.request}</td>
                    </tr>
                  ))}
                </tbody>
              </HTMLTable>
            </div>
          </>
        )}
      </div>
      <div className="dossier-hoststate-toolbar">
        <h4 className="dossier-hoststate-h">Workers held per client</h4>
        <ThresholdInput label="Workers per client threshold" value={data.clientThreshold} onChange={setClients} testId="client-threshold" />
        <span className={Classes.TEXT_MUTED}>
          {flaggedIps} address{flaggedIps === 1 ? '' : 'es'} and {flaggedNets} network{flaggedNets === 1 ? '' : 's'} above it
        </span>
      </div>
      <div className="dossier-hoststate-columns">
        <TallyTable title="Per client IP (most workers first)" unit="Client" rows={data.byIp} threshold={data.clientThreshold} testId="tally-ip" onOpen={(ip) => open({ srcIps: [ip] })} />
        <TallyTable title="Per /24 (IPv6: /64)" unit="Network" rows={data.byNetwork} threshold={data.clientThreshold} testId="tally-net" withMembers onOpen={(net) => open({ srcIps: [net] })} />
      </div>
    </div>
  );
}
