import { Classes, HTMLTable, NonIdealState, Spinner, Switch, Tag } from '@blueprintjs/core';
import { useState } from 'react';
import { ErrorCallout } from '../../components/error-callout';
import { CaptureSelect, CopyPanelButton, Fact } from './parts';
import { captureFilter, openTimeline, useProcesses } from './use-hoststate';

type Props = Readonly<{ casePath: string; events: number; onNavigate: (section: string) => void }>;

const FLAG_LABEL: Readonly<Record<string, { text: string; intent: 'danger' | 'primary' }>> = {
  runs_from_tmp: { text: 'runs from /tmp, /var/tmp or /dev/shm', intent: 'danger' },
  deleted_binary: { text: 'deleted binary', intent: 'danger' },
  web_server: { text: 'web server', intent: 'primary' },
};

export function ProcessesTab({ casePath, events, onNavigate }: Props) {
  const [evidenceId, setEvidenceId] = useState<number | undefined>(undefined);
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const q = useProcesses(casePath, events, { ...(evidenceId === undefined ? {} : { evidenceId }), flaggedOnly });
  const data = q.data;
  if (q.isPending) {
    return <Spinner size={24} />;
  }
  if (q.isError) {
    return <ErrorCallout error={q.error} />;
  }
  const sel = data?.selected ?? null;
  if (data === undefined || sel === null) {
    return <NonIdealState icon="application" title="No ps or top capture" description="Ingest the output of ps -ef, ps aux or top -b to see processes here." />;
  }
  const s = sel.summary;
  const frame = data.topFrames[data.topFrames.length - 1];
  return (
    <div className="dossier-hoststate-tab" data-testid="processes-tab">
      <div className="dossier-hoststate-toolbar">
        <CaptureSelect captures={data.captures} value={evidenceId} selected={sel} onChange={setEvidenceId} />
        <CopyPanelButton input={{ panel: 'processes', evidenceId: sel.evidenceId, threshold: 0 }} />
        <Switch checked={flaggedOnly} label="Flagged only" onChange={(e) => setFlaggedOnly(e.currentTarget.checked)} className="dossier-hoststate-switch" />
      </div>
      <div className="dossier-hoststate-facts">
        {s.kind === 'ps' || s.kind === 'top' ? <Fact label="Processes" value={s.processes} /> : null}
        {s.kind === 'ps' || s.kind === 'top' ? <Fact label="Web-server processes" value={s.webProcesses} testId="web-processes" /> : null}
        {s.kind === 'ps' ? <Fact label="Web-server children" value={s.webChildren} /> : null}
        {s.kind === 'ps' || s.kind === 'top' ? <Fact label="Flagged" value={s.flagged} testId="flagged-processes" /> : null}
        {frame !== undefined ? <Fact label="Load average (top)" value={frame.load?.join(' / ') ?? null} testId="load-average" /> : null}
        {frame !== undefined ? <Fact label="CPU (top)" value={`${frame.cpu['us'] ?? '?'} us, ${frame.cpu['sy'] ?? '?'} sy, ${frame.cpu['id'] ?? '?'} id, ${frame.cpu['wa'] ?? '?'} wa`} /> : null}
        {frame !== undefined ? <Fact label="Tasks (top)" value={`${frame.tasks['total'] ?? '?'} total, ${frame.tasks['running'] ?? '?'} running, ${frame.tasks['zombie'] ?? '?'} zombie`} /> : null}
      </div>
      <div className="dossier-hoststate-scroll">
        <HTMLTable compact interactive striped className="dossier-hoststate-table" data-testid="process-table">
          <thead>
            <tr>
              <th className="dossier-num">PID</th><th className="dossier-num">PPID</th><th>User</th><th>Command</th><th>Flags</th>
            </tr>
          </thead>
          <tbody>
            {data.processes.map((p) => (
              <tr
                key={p.eventId}
                data-testid="process-row"
                className={p.flags.some((f) => f !== 'web_server') ? 'dossier-hoststate-flagged' : undefined}
                onClick={() => openTimeline(captureFilter(sel.evidenceId, sel.captureTs, { kinds: ['process'], ...(p.pid === null ? {} : { pids: [p.pid] }) }), onNavigate)}
              >
                <td className="dossier-num">{p.pid ?? ''}</td>
                <td className="dossier-num">{p.ppid ?? ''}</td>
                <td>{p.user ?? ''}</td>
                <td className="dossier-mono dossier-ellipsis">{p.command}</td>
                <td>
                  {p.flags.map((f) => (
                    <Tag key={f} minimal intent={FLAG_LABEL[f]?.intent ?? 'none'} className="dossier-hoststate-flag">
                      {FLAG_LABEL[f]?.text ?? f}
                    </Tag>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
        {data.truncated ? <div className={Classes.TEXT_MUTED}>Only the first 20 000 processes are listed.</div> : null}
      </div>
    </div>
  );
}
