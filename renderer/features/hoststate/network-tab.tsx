import { Callout, Classes, HTMLTable, NonIdealState, Spinner } from '@blueprintjs/core';
import { useMemo, useState } from 'react';
import { ErrorCallout } from '../../components/error-callout';
import { CaptureSelect, CopyPanelButton, Fact, formatTime, MixChart, TallyTable, ThresholdInput } from './parts';
import { captureFilter, openTimeline, useNetstat } from './use-hoststate';

type Props = Readonly<{ casePath: string; events: number; onNavigate: (section: string) => void }>;

export function NetworkTab({ casePath, events, onNavigate }: Props) {
  const [evidenceId, setEvidenceId] = useState<number | undefined>(undefined);
  const [threshold, setThreshold] = useState(20);
  const q = useNetstat(casePath, events, { ...(evidenceId === undefined ? {} : { evidenceId }), threshold });
  const data = q.data;
  const mixRows = useMemo(() => (data?.captures ?? []).map((c) => ({ label: formatTime(c.captureTs).slice(5, 16), counts: c.summary.kind === 'netstat' ? c.summary.states : {} })), [data?.captures]);
  if (q.isPending) {
    return <Spinner size={24} />;
  }
  if (q.isError) {
    return <ErrorCallout error={q.error} />;
  }
  const sel = data?.selected ?? null;
  if (data === undefined || sel === null || sel.summary.kind !== 'netstat') {
    return <NonIdealState icon="globe-network" title="No netstat or ss capture" description="Ingest the output of netstat -an / -anp / -nat or ss -tanp to see connections here." />;
  }
  const s = sel.summary;
  const open = (extra: Parameters<typeof captureFilter>[2]) => openTimeline(captureFilter(sel.evidenceId, sel.captureTs, { kinds: ['tcp_conn', 'udp_conn', 'raw_socket'], ...extra }), onNavigate);
  return (
    <div className="dossier-hoststate-tab" data-testid="network-tab">
      <div className="dossier-hoststate-toolbar">
        <CaptureSelect captures={data.captures} value={evidenceId} selected={sel} onChange={setEvidenceId} />
        <CopyPanelButton input={{ panel: 'netstat', evidenceId: sel.evidenceId, threshold: data.threshold }} />
        <span className={Classes.TEXT_MUTED}>
          {s.tool} ({s.dialect}); time from {sel.timeSource === 'page' ? 'the capture' : sel.timeSource === 'file_mtime' ? "the file's modification time" : 'nowhere'}
        </span>
      </div>
      <div className="dossier-hoststate-facts">
        <Fact label="Internet sockets" value={s.sockets} />
        <Fact label="TCP" value={s.tcp} />
        <Fact label="UDP" value={s.udp} />
        <Fact label="UNIX" value={s.unix} />
        <Fact label="Listeners" value={s.listeners} />
        <Fact label="SYN_RECV" value={data.synRecv} testId="syn-recv" />
      </div>
      {data.synRecv > 0 ? (
        <Callout intent="warning" compact icon="warning-sign">
          {data.synRecv} half-open connection{data.synRecv === 1 ? '' : 's'} (SYN_RECV): a SYN flood or a backlog that cannot keep up.
        </Callout>
      ) : null}
      <div className="dossier-hoststate-block">
        <h4 className="dossier-hoststate-h">TCP state mix{data.captures.length > 1 ? ' over time' : ''}</h4>
        <MixChart
          rows={mixRows}
          kind="tcp"
          testId="tcp-chart"
          onPick={(row, state) => {
            const c = data.captures[row];
            if (c !== undefined) {
              openTimeline(captureFilter(c.evidenceId, c.captureTs, { kinds: ['tcp_conn'], text: `"${state}"` }), onNavigate);
            }
          }}
        />
      </div>
      <div className="dossier-hoststate-toolbar">
        <h4 className="dossier-hoststate-h">Connections per remote address</h4>
        <ThresholdInput label="Connections per address threshold" value={threshold} onChange={setThreshold} testId="conn-threshold" />
      </div>
      <div className="dossier-hoststate-columns">
        <TallyTable title="TCP states" unit="State" rows={data.states} testId="tally-states" onOpen={(state) => open({ kinds: ['tcp_conn'], text: `"${state}"` })} />
        <TallyTable title="Per remote IP" unit="Remote" rows={data.byRemoteIp} threshold={threshold} testId="tally-remote" onOpen={(ip) => open({ srcIps: [ip] })} />
        <TallyTable title="Per remote /24" unit="Network" rows={data.byRemoteNetwork} threshold={threshold} withMembers testId="tally-remote-net" onOpen={(net) => open({ srcIps: [net] })} />
        <TallyTable title="Per local port" unit="Port" rows={data.byLocalPort} testId="tally-port" onOpen={() => open({})} />
      </div>
      <div className="dossier-hoststate-block">
        <h4 className="dossier-hoststate-h">Listeners</h4>
        <HTMLTable compact interactive striped className="dossier-hoststate-table" data-testid="listeners">
          <thead>
            <tr>
              <th>Proto</th><th>Local</th><th className="dossier-num">PID</th><th>Program</th>
            </tr>
          </thead>
          <tbody>
            {data.listeners.map((l) => (
              <tr key={l.eventId} onClick={() => open(l.pid === null ? {} : { pids: [l.pid] })}>
                <td>{l.proto}</td>
                <td className="dossier-mono">{l.local}</td>
                <td className="dossier-num">{l.pid ?? ''}</td>
                <td>{l.program ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
      </div>
    </div>
  );
}
