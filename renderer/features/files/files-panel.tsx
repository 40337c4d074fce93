import { Button, Callout, Classes, H4, HTMLSelect, HTMLTable, InputGroup, NonIdealState, Spinner, Tag, type Intent } from '@blueprintjs/core';
import { useState } from 'react';
import type { FileActivity, FileChange, FileChanges, StracePid } from '../../../shared/domain/files';
import type { TimelineFilter } from '../../../shared/domain/timeline';
import { ErrorCallout } from '../../components/error-callout';
import { formatEventTime, formatShortTime } from '../timeline/zoned-time';
import type { SectionProps } from '../workspace/sections';
import { ActivityChart } from './activity-chart';
import { openTimeline, useFileActivity, useFileChanges, useStraceSummary } from './use-files';
import './files.css';

type Nav = (filter: TimelineFilter) => void;

const STATUS_INTENT: Readonly<Record<FileChange['status'], Intent>> = { changed: 'danger', appeared: 'warning', disappeared: 'primary' };
const CHECK_LABEL = { md5_differs: 'MD5 differs', modified_after: 'modified after', missing_in_bodyfile: 'not in bodyfile' } as const;

const CHECKS_SHOWN = 6;
const shortHash = (h: string | null): string => (h === null ? '—' : `${h.slice(0, 10)}…`);
const count = (n: number): string => n.toLocaleString('en-US');

/** `YYYY-MM-DDTHH:MM:SS` (UTC) for a datetime-local input, and back. */
const toInput = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
const fromInput = (text: string): number | undefined => {
  const ms = Date.parse(`${text.length === 16 ? `${text}:00` : text}Z`);
  return Number.isFinite(ms) ? ms : undefined;
};

function ManifestPicker(props: Readonly<{ label: string; value: number | null; data: FileChanges; onChange: (id: number | undefined) => void }>) {
  return (
    <label className="dossier-files-field">
      <span className={Classes.TEXT_MUTED}>{props.label}</span>
      <HTMLSelect
        aria-label={props.label}
        value={props.value === null ? '' : String(props.value)}
        onChange={(e) => props.onChange(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))}
        options={[{ value: '', label: 'automatic' }, ...props.data.manifests.map((m) => ({ value: String(m.evidenceId), label: `${m.path} (${count(m.entries)} · ${m.algorithms.join(', ')})` }))]}
      />
    </label>
  );
}

/** Baseline vs current manifest: what changed, appeared, disappeared; and the manifest against a bodyfile. */
function ChangesCard({ zone, nav, summary }: Readonly<{ zone: string; nav: Nav; summary: SectionProps['summary'] }>) {
  const [picked, setPicked] = useState<{ baselineId?: number; currentId?: number }>({});
  const [baselineTimeMs, setBaselineTimeMs] = useState<number | undefined>(undefined);
  const [allChecks, setAllChecks] = useState(false);
  const params = {
    ...(picked.baselineId !== undefined && picked.currentId !== undefined ? picked : {}),
    ...(baselineTimeMs === undefined ? {} : { baselineTimeMs }),
  };
  const q = useFileChanges(summary, params);
  const data = q.data;
  const baseline = data?.manifests.find((m) => m.evidenceId === data.baselineId);
  const current = data?.manifests.find((m) => m.evidenceId === data.currentId);
  return (
    <section className="dossier-files-card" data-testid="files-changes" aria-labelledby="files-changes-title">
      <H4 id="files-changes-title">Changed files (hash manifests)</H4>
      <ErrorCallout error={q.error} title="The manifests could not be compared" />
      {q.isPending ? <Spinner size={20} /> : null}
      {data !== undefined && data.manifests.length === 0 ? (
        <NonIdealState icon="document" title="No hash manifest" description="Add md5sum / sha*sum outputs (e.g. a baseline and a later listing of the web root) to compare them." />
      ) : null}
      {data !== undefined && data.manifests.length > 0 ? (
        <>
          <div className="dossier-toolbar dossier-files-wrap">
            <ManifestPicker label="Baseline" value={data.baselineId} data={data} onChange={(id) => setPicked((p) => ({ ...p, baselineId: id }))} />
            <ManifestPicker label="Now" value={data.currentId} data={data} onChange={(id) => setPicked((p) => ({ ...p, currentId: id }))} />
            <label className="dossier-files-field" title="When the baseline was really taken, if its file time is not to be trusted (a copy, a checkout)">
              <span className={Classes.TEXT_MUTED}>Baseline taken (UTC)</span>
              <input
                className={Classes.INPUT}
                type="datetime-local"
                step={1}
                aria-label="Baseline taken (UTC)"
                value={baseline?.capturedMs === null || baseline === undefined ? '' : toInput(baseline.capturedMs)}
                onChange={(e) => setBaselineTimeMs(fromInput(e.currentTarget.value))}
              />
            </label>
          </div>
          <p className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`} data-testid="files-manifest-times">
            {baseline !== undefined ? `Baseline ${baseline.path}, taken ${baseline.capturedMs === null ? '(unknown)' : formatShortTime(baseline.capturedMs, zone)} (${baseline.capturedFrom === 'file_mtime' ? 'file time' : 'set by the analyst'})` : 'No baseline'}
            {current !== undefined ? ` · now ${current.path}, taken ${current.capturedMs === null ? '(unknown)' : formatShortTime(current.capturedMs, zone)} (file time)` : ''}
            {data.diff !== null && (data.diff.prefixBaseline !== data.diff.prefixCurrent) ? ` · roots matched: "${data.diff.prefixBaseline || '.'}" ↔ "/${data.diff.prefixCurrent}"` : ''}
          </p>
          {data.diff === null ? (
            <Callout compact intent="primary">Two manifests of the same tree are needed for a comparison.</Callout>
          ) : (
            <>
              <div className="dossier-toolbar">
                <Tag intent="danger" minimal data-testid="files-count-changed">{count(data.diff.counts.changed)} changed</Tag>
                <Tag intent="warning" minimal data-testid="files-count-appeared">{count(data.diff.counts.appeared)} appeared</Tag>
                <Tag intent="primary" minimal data-testid="files-count-disappeared">{count(data.diff.counts.disappeared)} disappeared</Tag>
                <span className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>
                  {count(data.diff.unchanged)} unchanged{data.diff.incomparable > 0 ? `, ${count(data.diff.incomparable)} hashed with another algorithm` : ''}
                </span>
              </div>
              {data.diff.changes.length > 0 ? (
                <HTMLTable compact striped className="dossier-files-table">
                  <thead>
                    <tr>
                      <th>Status</th>
                      <th>File</th>
                      <th>Baseline</th>
                      <th>Now</th>
                      <th>When ({zone})</th>
                      <th>Events</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.diff.changes.map((c) => (
                      <tr key={`${c.status}:${c.relPath}`} data-testid="file-change-row" data-status={c.status} data-path={c.relPath}>
                        <td>
                          <Tag minimal intent={STATUS_INTENT[c.status]}>{c.status}</Tag>
                        </td>
                        <td className="dossier-mono dossier-break" title={c.currentPath ?? c.baselinePath ?? ''}>
                          {c.relPath}
                        </td>
                        <td className="dossier-mono">{shortHash(c.baselineHash)}</td>
                        <td className="dossier-mono">{shortHash(c.currentHash)}</td>
                        <td className="dossier-mono dossier-nowrap" title={c.atFrom === 'bodyfile_mtime' ? "the file's modification time in the bodyfile" : c.atFrom === 'manifest_captured' ? 'when the later manifest was taken' : ''}>
                          {c.atMs === null ? '—' : formatShortTime(c.atMs, zone)}
                          {c.atFrom === 'bodyfile_mtime' ? <span className={Classes.TEXT_MUTED}> (mtime)</span> : null}
                        </td>
                        <td className="dossier-nowrap">
                          <Button small minimal icon="search-text" text="Manifest lines" data-testid="file-change-open" onClick={() => nav(c.filter)} />
                          {c.bodyfileFilter !== null ? <Button small minimal icon="timeline-events" text="Bodyfile" onClick={() => nav(c.bodyfileFilter ?? {})} /> : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </HTMLTable>
              ) : (
                <Callout compact intent="success">The two manifests agree.</Callout>
              )}
            </>
          )}
          {data.bodyfileChecks.length > 0 ? (
            <>
              <div className={`${Classes.TEXT_SMALL} dossier-files-sub`}>Baseline against the bodyfile ({data.bodyfiles.find((b) => b.evidenceId === data.bodyfileId)?.path ?? ''})</div>
              <HTMLTable compact striped className="dossier-files-table" data-testid="files-bodyfile-checks">
                <tbody>
                  {(allChecks ? data.bodyfileChecks : data.bodyfileChecks.slice(0, CHECKS_SHOWN)).map((f) => (
                    <tr key={`${f.status}:${f.relPath}`} data-testid="bodyfile-check-row" data-status={f.status}>
                      <td>
                        <Tag minimal intent={f.status === 'missing_in_bodyfile' ? 'primary' : 'danger'}>{CHECK_LABEL[f.status]}</Tag>
                      </td>
                      <td className="dossier-mono dossier-break">{f.relPath}</td>
                      <td className="dossier-mono dossier-nowrap">{f.atMs === null ? '—' : formatShortTime(f.atMs, zone)}</td>
                      <td className={Classes.TEXT_MUTED}>{f.detail}</td>
                      <td>
                        <Button small minimal icon="search-text" text="Events" onClick={() => nav(f.filter)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </HTMLTable>
              {data.bodyfileChecks.length > CHECKS_SHOWN ? (
                <Button small minimal icon={allChecks ? 'chevron-up' : 'chevron-down'} text={allChecks ? 'Show fewer' : `Show all ${count(data.bodyfileChecks.length)}`} onClick={() => setAllChecks((v) => !v)} />
              ) : null}
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

const WINDOWS = [
  { value: 15 * 60_000, label: '± 15 minutes' },
  { value: 3_600_000, label: '± 1 hour' },
  { value: 6 * 3_600_000, label: '± 6 hours' },
  { value: 86_400_000, label: '± 1 day' },
];

/** Minutes from the chosen time: "−36 min", "0 min", "+5 min". */
function offsetText(ms: number): string {
  const m = Math.round(ms / 60_000);
  return `${m > 0 ? '+' : m < 0 ? '−' : ''}${Math.abs(m)} min`;
}

function ActivityTable({ activity, zone }: Readonly<{ activity: FileActivity; zone: string }>) {
  return (
    <div className="dossier-files-scroll">
      <HTMLTable compact striped className="dossier-files-table">
        <thead>
          <tr>
            <th>Time ({zone})</th>
            <th className="dossier-num">Offset</th>
            <th>MACB</th>
            <th>File</th>
            <th>Mode</th>
            <th className="dossier-num">UID</th>
            <th className="dossier-num">Size</th>
          </tr>
        </thead>
        <tbody>
          {activity.rows.map((r) => (
            <tr key={r.eventId} data-testid="activity-row" data-name={r.name}>
              <td className="dossier-mono dossier-nowrap">{formatEventTime(r.ts, zone).slice(0, 19)}</td>
              <td className="dossier-num dossier-mono">{offsetText(r.offsetMs)}</td>
              <td className="dossier-mono">{r.macb}</td>
              <td className="dossier-mono dossier-break">{r.name}</td>
              <td className="dossier-mono">{r.mode ?? ''}</td>
              <td className="dossier-num">{r.uid ?? ''}</td>
              <td className="dossier-num">{r.size === null ? '' : count(r.size)}</td>
            </tr>
          ))}
        </tbody>
      </HTMLTable>
    </div>
  );
}

/** Bodyfile activity within a window around a chosen time (a restart by default). */
function ActivityCard({ zone, nav, summary }: Readonly<{ zone: string; nav: Nav; summary: SectionProps['summary'] }>) {
  const [at, setAt] = useState<number | undefined>(undefined);
  const [windowMs, setWindowMs] = useState(3_600_000);
  const [pathDraft, setPathDraft] = useState('');
  const [pathContains, setPathContains] = useState('');
  const q = useFileActivity(summary, { ...(at === undefined ? {} : { at }), windowMs, ...(pathContains === '' ? {} : { pathContains }) });
  const a = q.data;
  return (
    <section className="dossier-files-card" data-testid="files-activity" aria-labelledby="files-activity-title">
      <H4 id="files-activity-title">File activity around a time (bodyfile)</H4>
      <ErrorCallout error={q.error} title="The file activity could not be read" />
      {a !== undefined && a.bodyfileEvents === 0 ? <NonIdealState icon="folder-open" title="No bodyfile" description="Add a Sleuth Kit bodyfile (fls -m, UAC bodyfile/bodyfile.txt) to see file activity." /> : null}
      {a !== undefined && a.bodyfileEvents > 0 ? (
        <>
          <div className="dossier-toolbar dossier-files-wrap">
            <label className="dossier-files-field">
              <span className={Classes.TEXT_MUTED}>Around</span>
              <HTMLSelect
                aria-label="Around an event"
                value={a.anchors.find((x) => x.ts === a.at)?.eventId ?? ''}
                onChange={(e) => setAt(a.anchors.find((x) => String(x.eventId) === e.currentTarget.value)?.ts)}
                options={[{ value: '', label: 'a chosen time' }, ...a.anchors.map((x) => ({ value: x.eventId, label: `${formatShortTime(x.ts, zone)} ${x.label}` }))]}
              />
            </label>
            <label className="dossier-files-field">
              <span className={Classes.TEXT_MUTED}>Time (UTC)</span>
              <input
                className={Classes.INPUT}
                type="datetime-local"
                step={1}
                aria-label="Time (UTC)"
                value={a.at === null ? '' : toInput(a.at)}
                onChange={(e) => {
                  const ms = fromInput(e.currentTarget.value);
                  if (ms !== undefined) {
                    setAt(ms);
                  }
                }}
              />
            </label>
            <HTMLSelect aria-label="Window" value={windowMs} onChange={(e) => setWindowMs(Number(e.currentTarget.value))} options={WINDOWS} />
            <form
              onSubmit={(e) => {
                e.preventDefault();
                setPathContains(pathDraft.trim());
              }}
            >
              <InputGroup small leftIcon="filter" placeholder="path contains, e.g. /var/www/" aria-label="Path contains" value={pathDraft} onChange={(e) => setPathDraft(e.currentTarget.value)} onBlur={() => setPathContains(pathDraft.trim())} />
            </form>
            <Button icon="timeline-events" text="Show in timeline" data-testid="files-activity-open" onClick={() => nav(a.filter)} />
          </div>
          <div className="dossier-toolbar">
            <span className={`${Classes.TEXT_SMALL}`} data-testid="files-activity-counts">
              {a.at === null ? '' : `${formatShortTime(a.from ?? 0, zone)} – ${formatShortTime(a.to ?? 0, zone)}: `}
              {count(a.counts.files)} files, {count(a.counts.m)} modified, {count(a.counts.c)} changed, {count(a.counts.b)} born, {count(a.counts.a)} accessed
              {a.truncated ? ' (first 500 shown)' : ''}
            </span>
          </div>
          {a.histogram.length > 0 ? <ActivityChart activity={a} zone={zone} /> : null}
          {a.rows.length > 0 ? <ActivityTable activity={a} zone={zone} /> : <Callout compact>No file activity in this window.</Callout>}
        </>
      ) : null}
    </section>
  );
}

function StraceRow({ p, zone, nav }: Readonly<{ p: StracePid; zone: string; nav: Nav }>) {
  const error = p.errorLog[0];
  return (
    <tr data-testid="strace-row" data-pid={p.pid}>
      <td className="dossier-num dossier-mono">{p.pid}</td>
      <td>
        {p.end === null ? <span className={Classes.TEXT_MUTED}>trace ends</span> : <Tag minimal intent={p.end.kind === 'killed' ? 'danger' : p.end.kind === 'exited' ? 'none' : 'primary'}>{p.end.text}</Tag>}
      </td>
      <td className="dossier-num">{count(p.syscalls)}</td>
      <td className="dossier-num">{count(p.failed)}</td>
      <td className="dossier-mono">{p.signals.map((s) => `${s.signal}×${s.count}`).join(' ') || '—'}</td>
      <td className="dossier-mono">{p.kills.map((k) => `kill(${k.target ?? '?'}, ${k.signal ?? '?'})`).join(' ') || '—'}</td>
      <td className="dossier-mono dossier-files-syscalls">{p.topSyscalls.slice(0, 6).map((s) => `${s.name} ${s.count}`).join(' · ')}</td>
      <td className="dossier-mono dossier-break" data-testid="strace-error-log">
        {error === undefined ? <span className={Classes.TEXT_MUTED}>—</span> : `${error.ts === null ? '' : `${formatShortTime(error.ts, zone)} `}${error.message}`}
      </td>
      <td className="dossier-nowrap">
        <Button small minimal icon="timeline-events" text="strace" data-testid="strace-open" onClick={() => nav(p.filter)} />
        {p.errorLogFilter !== null ? <Button small minimal icon="warning-sign" text="Error log" onClick={() => nav(p.errorLogFilter ?? {})} /> : null}
      </td>
    </tr>
  );
}

/** strace per process, with the error-log line that names the same PID. */
function StraceCard({ zone, nav, summary }: Readonly<{ zone: string; nav: Nav; summary: SectionProps['summary'] }>) {
  const q = useStraceSummary(summary);
  return (
    <section className="dossier-files-card" data-testid="files-strace" aria-labelledby="files-strace-title">
      <H4 id="files-strace-title">Processes under strace</H4>
      <ErrorCallout error={q.error} title="The strace summary could not be read" />
      {q.data !== undefined && q.data.pids.length === 0 ? <NonIdealState icon="console" title="No strace output" description="Add strace captures (per-PID files such as 2880.log, or strace -f output)." /> : null}
      {q.data !== undefined && q.data.pids.length > 0 ? (
        <HTMLTable compact striped className="dossier-files-table">
          <thead>
            <tr>
              <th className="dossier-num">PID</th>
              <th>End</th>
              <th className="dossier-num">Syscalls</th>
              <th className="dossier-num">Failed</th>
              <th>Signals</th>
              <th>Kills</th>
              <th>Most frequent</th>
              <th>Error log</th>
              <th>Events</th>
            </tr>
          </thead>
          <tbody>
            {q.data.pids.map((p) => (
              <StraceRow key={p.pid} p={p} zone={zone} nav={nav} />
            ))}
          </tbody>
        </HTMLTable>
      ) : null}
    </section>
  );
}

/** Files & processes: hash manifests compared, bodyfile activity around a time, strace per PID. */
export function FilesPanel({ summary, onNavigate }: SectionProps) {
  const zone = summary.timeZone;
  const nav: Nav = (filter) => openTimeline(filter, onNavigate);
  return (
    <div className="dossier-panel dossier-files-panel" data-testid="files-panel">
      <p className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>
        Times in {zone}. Manifest lines carry no time of their own: a manifest is dated by its file&apos;s modification time.
      </p>
      <ChangesCard zone={zone} nav={nav} summary={summary} />
      <ActivityCard zone={zone} nav={nav} summary={summary} />
      <StraceCard zone={zone} nav={nav} summary={summary} />
    </div>
  );
}
