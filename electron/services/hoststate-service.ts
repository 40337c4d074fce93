/**
 * Host-state use cases over the open case: the captures (hoststate_snapshots) and their rows (the
 * capture's events, fields in `extra`), analysed by electron/core/hoststate/analysis.ts.
 * Read only: nothing here changes the case.
 */
import { SnapshotSummary } from '../../shared/domain/hoststate';
import type { ConnectionRow, NetstatView, ProcessesView, ProcessRow, ServerStatusView, Snapshot, WorkerRow } from '../../shared/api/methods/hoststate';
import { analyseConnections, slowReadWorkers, tallyClients } from '../core/hoststate/analysis';
import type { ReadableDb } from '../db/connection/sql';
import { evidenceRows } from '../db/queries/evidence-rows';

const MAX_ROWS = 20_000;
const DEFAULT_TIMEOUT_SECONDS = 60;

type SnapshotRow = { evidence_id: number; rel_path: string; kind: Snapshot['kind']; ts: number | null; time_source: Snapshot['timeSource']; time_text: string | null; summary: string };

export function listSnapshots(db: ReadableDb, kind?: Snapshot['kind']): Snapshot[] {
  const rows = db
    .prepare(
      `SELECT s.evidence_id, v.rel_path, s.kind, coalesce(v.first_ts, s.capture_ts) AS ts, s.time_source, s.time_text, s.summary
       FROM hoststate_snapshots s JOIN evidence v ON v.id = s.evidence_id
       WHERE (? IS NULL OR s.kind = ?) ORDER BY ts IS NULL, ts, s.evidence_id`,
    )
    .all(kind ?? null, kind ?? null) as SnapshotRow[];
  const out: Snapshot[] = [];
  for (const r of rows) {
    let raw: unknown;
    try {
      raw = JSON.parse(r.summary);
    } catch {
      continue;
    }
    const summary = SnapshotSummary.safeParse(raw);
    if (summary.success) {
      out.push({ evidenceId: r.evidence_id, evidencePath: r.rel_path, kind: r.kind, captureTs: r.ts, timeSource: r.time_source, timeText: r.time_text, summary: summary.data });
    }
  }
  return out;
}

type EventRow = { id: number; pid: number | null; ip: string | null; program: string | null; user: string | null; message: string; extra: string | null };

function eventsOf(db: ReadableDb, evidenceId: number, kinds: ReadonlyArray<string>, limit = MAX_ROWS): EventRow[] {
  const rows = evidenceRows(db, evidenceId);
  // In line order: ids grow with line numbers within an evidence (evidence-rows.ts).
  return db
    .prepare(
      `SELECT e.id, e.pid, ip.text AS ip, sp.value AS program, su.value AS user, e.message, e.extra
       FROM events e JOIN strings k ON k.id = e.kind LEFT JOIN ips ip ON ip.id = e.src_ip
       LEFT JOIN strings sp ON sp.id = e.program LEFT JOIN strings su ON su.id = e.user
       WHERE ${rows.text} AND k.value IN (${kinds.map(() => '?').join(',')}) ORDER BY e.id LIMIT ?`,
    )
    .all(...rows.params, ...kinds, limit) as EventRow[];
}

function extraOf(r: EventRow): Record<string, unknown> {
  if (r.extra === null) {
    return {};
  }
  try {
    const v: unknown = JSON.parse(r.extra);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function pick<T extends { evidenceId: number }>(captures: T[], evidenceId: number | undefined): T | null {
  if (evidenceId !== undefined) {
    return captures.find((c) => c.evidenceId === evidenceId) ?? null;
  }
  return captures[captures.length - 1] ?? null;
}

/** The server's Timeout when a config file of the case names it (`Timeout 300`), else 60 s. */
export function serverTimeout(db: ReadableDb): { seconds: number; source: string } {
  // The config files (latest first), then the first Timeout line of each, through its id range.
  const configs = db
    .prepare("SELECT id, rel_path FROM evidence WHERE rel_path LIKE '%.conf' OR rel_path LIKE '%.conf.%' ORDER BY id DESC")
    .all() as Array<{ id: number; rel_path: string }>;
  let row: { message: string; rel_path: string } | undefined;
  for (const c of configs) {
    const rows = evidenceRows(db, c.id);
    const hit = db.prepare(`SELECT e.message FROM events e WHERE ${rows.text} AND ltrim(e.message) LIKE 'Timeout %' ORDER BY e.id LIMIT 1`).get(...rows.params) as
      | { message: string }
      | undefined;
    if (hit !== undefined) {
      row = { message: hit.message, rel_path: c.rel_path };
      break;
    }
  }
  const m = row === undefined ? null : /^\s*Timeout\s+(\d{1,7})\b/u.exec(row.message);
  if (m !== null && row !== undefined) {
    return { seconds: Number(m[1]), source: `Timeout in ${row.rel_path}` };
  }
  return { seconds: DEFAULT_TIMEOUT_SECONDS, source: 'default (no Timeout found in the case)' };
}

export function serverStatusView(db: ReadableDb, input: Readonly<{ evidenceId?: number | undefined; slowThresholdSeconds?: number | undefined; clientThreshold: number }>): ServerStatusView {
  const captures = listSnapshots(db, 'server_status');
  const selected = pick(captures, input.evidenceId);
  const timeout = serverTimeout(db);
  const slowThresholdSeconds = input.slowThresholdSeconds ?? timeout.seconds;
  const workers: WorkerRow[] =
    selected === null
      ? []
      : eventsOf(db, selected.evidenceId, ['status_worker']).map((r) => {
          const x = extraOf(r);
          return {
            eventId: r.id, slot: str(x['slot']), pid: r.pid, mode: str(x['mode']) || '?', ss: num(x['ss']), cpu: num(x['cpu']),
            accesses: [x['acc_conn'], x['acc_child'], x['acc_slot']].map((v) => (v === null || v === undefined ? '-' : str(v))).join('/'),
            client: r.ip ?? str(x['client']), vhost: typeof x['vhost'] === 'string' ? x['vhost'] : null, request: str(x['request']),
          };
        });
  const tally = tallyClients(workers, input.clientThreshold);
  return {
    captures, selected, timeout, slowThresholdSeconds, clientThreshold: input.clientThreshold,
    slowRead: slowReadWorkers(workers, slowThresholdSeconds),
    byIp: tally.byIp.slice(0, 500), byNetwork: tally.byNetwork.slice(0, 500), workers,
  };
}

export function netstatView(db: ReadableDb, input: Readonly<{ evidenceId?: number | undefined; threshold: number }>): NetstatView {
  const captures = listSnapshots(db, 'netstat');
  const selected = pick(captures, input.evidenceId);
  const rows = selected === null ? [] : eventsOf(db, selected.evidenceId, ['tcp_conn', 'udp_conn', 'raw_socket'], MAX_ROWS + 1);
  const truncated = rows.length > MAX_ROWS;
  const connections: ConnectionRow[] = rows.slice(0, MAX_ROWS).map((r) => {
    const x = extraOf(r);
    const local = str(x['local_address']);
    const remote = str(x['foreign_address']);
    return {
      eventId: r.id, proto: str(x['proto']), local: `${local}:${str(x['local_port'])}`, remote: `${remote}:${str(x['foreign_port'])}`, remoteIp: r.ip,
      state: typeof x['state'] === 'string' ? x['state'] : null, pid: r.pid, program: r.program, listen: x['listen'] === true,
    };
  });
  const a = analyseConnections(
    connections.map((c, i) => ({ eventId: c.eventId, proto: c.proto, state: c.state, remoteIp: c.remoteIp, localPort: str(extraOf(rows[i] ?? ({} as EventRow))['local_port']), listen: c.listen })),
    input.threshold,
  );
  return {
    captures, selected, threshold: input.threshold, states: a.states, byRemoteIp: a.byRemoteIp.slice(0, 500), byRemoteNetwork: a.byRemoteNetwork.slice(0, 500),
    byLocalPort: a.byLocalPort.slice(0, 500), listeners: connections.filter((c) => c.listen), synRecv: a.synRecv, connections, truncated,
  };
}

export function processesView(db: ReadableDb, input: Readonly<{ evidenceId?: number | undefined; flaggedOnly: boolean }>): ProcessesView {
  const captures = listSnapshots(db).filter((c) => c.kind === 'ps' || c.kind === 'top');
  const selected = pick(captures, input.evidenceId);
  const rows = selected === null ? [] : eventsOf(db, selected.evidenceId, ['process'], MAX_ROWS + 1);
  const processes: ProcessRow[] = rows.slice(0, MAX_ROWS).map((r) => {
    const x = extraOf(r);
    const flags = str(x['flags']).split(',').filter((f) => f !== '');
    return {
      eventId: r.id, pid: r.pid, ppid: num(x['ppid']), user: r.user, program: r.program, command: str(x['command']) || r.message, flags,
      cpu: str(x['pct_cpu']) || null,
    };
  });
  const topSource = selected?.summary.kind === 'top' ? selected : [...captures].reverse().find((c) => c.kind === 'top');
  return {
    captures, selected, truncated: rows.length > MAX_ROWS,
    processes: input.flaggedOnly ? processes.filter((p) => p.flags.some((f) => f !== 'web_server')) : processes,
    topFrames: topSource?.summary.kind === 'top' ? topSource.summary.frames : [],
  };
}

/** Escapes text for a Markdown table cell (log content is hostile: no markup, no broken tables). */
export function mdCell(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/gu, (c) => `\\${c}`).replace(/\s+/gu, ' ').slice(0, 200);
}

const mdTable = (head: string[], rows: string[][]): string =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');

export type PanelExport = Readonly<{ key: string; title: string; markdown: string; eventIds: number[] }>;

/**
 * A host-state panel as the report and hypotheses take it: a stable key (a hypothesis links it as
 * target kind `panel`), a title, Markdown (tables of the flagged rows) and the event ids behind it.
 */
export function exportPanel(
  db: ReadableDb,
  input: Readonly<{ panel: 'serverStatus' | 'netstat' | 'processes'; evidenceId?: number | undefined; slowThresholdSeconds?: number | undefined; threshold: number }>,
): PanelExport {
  if (input.panel === 'serverStatus') {
    const v = serverStatusView(db, { evidenceId: input.evidenceId, slowThresholdSeconds: input.slowThresholdSeconds, clientThreshold: input.threshold });
    const sel = v.selected;
    const key = `hoststate.serverStatus:${sel?.evidenceId ?? 0}:${v.slowThresholdSeconds}:${v.clientThreshold}`;
    if (sel === null || sel.summary.kind !== 'server_status') {
      return { key, title: 'Server status', markdown: 'No server-status capture.', eventIds: [] };
    }
    const s = sel.summary;
    const mix = Object.entries(s.scoreboardCounts).map(([k, n]) => `\`${k === '`' ? "'" : k}\` ${n}`).join(', ');
    const flaggedIps = v.byIp.filter((r) => r.flagged);
    const flaggedNets = v.byNetwork.filter((r) => r.flagged);
    const markdown = [
      `**${mdCell(sel.evidencePath)}** at ${sel.captureTs === null ? 'an unknown time' : new Date(sel.captureTs).toISOString()} (time from ${sel.timeSource === 'page' ? 'the page' : "the file's mtime"}): ${mdCell(s.serverVersion ?? 'server ?')}, ${s.busyWorkers ?? '?'} busy / ${s.idleWorkers ?? '?'} idle. Scoreboard: ${mix}.`,
      '',
      `${v.slowRead.length} worker(s) in W/R above ${v.slowThresholdSeconds} s (${mdCell(v.timeout.source)}).`,
      '',
      v.slowRead.length === 0 ? '' : mdTable(['Slot', 'PID', 'M', 'SS (s)', 'Client', 'Request'], v.slowRead.slice(0, 50).map((w) => [w.slot, String(w.pid ?? '-'), w.mode, String(w.ss ?? ''), w.client, w.request])),
      '',
      `Clients holding more than ${v.clientThreshold} workers: ${flaggedIps.length === 0 ? 'none' : flaggedIps.map((r) => `${mdCell(r.key)} (${r.count})`).join(', ')}. Networks: ${flaggedNets.length === 0 ? 'none' : flaggedNets.map((r) => `${mdCell(r.key)} (${r.count} workers from ${r.members ?? '?'} hosts)`).join(', ')}.`,
    ].join('\n');
    return { key, title: `Server status ${sel.evidencePath}`, markdown, eventIds: v.slowRead.slice(0, 200).map((w) => w.eventId) };
  }
  if (input.panel === 'netstat') {
    const v = netstatView(db, { evidenceId: input.evidenceId, threshold: input.threshold });
    const sel = v.selected;
    const key = `hoststate.netstat:${sel?.evidenceId ?? 0}:${v.threshold}`;
    if (sel === null) {
      return { key, title: 'Network', markdown: 'No netstat or ss capture.', eventIds: [] };
    }
    const flagged = v.byRemoteIp.filter((r) => r.flagged);
    const markdown = [
      `**${mdCell(sel.evidencePath)}** at ${sel.captureTs === null ? 'an unknown time' : new Date(sel.captureTs).toISOString()}: ${v.connections.length} sockets, ${v.listeners.length} listeners, ${v.synRecv} SYN_RECV.`,
      '',
      mdTable(['TCP state', 'Count'], v.states.map((r) => [r.key, String(r.count)])),
      '',
      `Remote addresses above ${v.threshold} connections: ${flagged.length === 0 ? 'none' : flagged.map((r) => `${mdCell(r.key)} (${r.count})`).join(', ')}.`,
    ].join('\n');
    const flaggedSet = new Set(flagged.map((r) => r.key));
    return { key, title: `Network ${sel.evidencePath}`, markdown, eventIds: v.connections.filter((c) => c.remoteIp !== null && flaggedSet.has(c.remoteIp)).slice(0, 200).map((c) => c.eventId) };
  }
  const v = processesView(db, { evidenceId: input.evidenceId, flaggedOnly: true });
  const sel = v.selected;
  const key = `hoststate.processes:${sel?.evidenceId ?? 0}`;
  if (sel === null) {
    return { key, title: 'Processes', markdown: 'No ps or top capture.', eventIds: [] };
  }
  const frame = v.topFrames[v.topFrames.length - 1];
  const markdown = [
    `**${mdCell(sel.evidencePath)}** at ${sel.captureTs === null ? 'an unknown time' : new Date(sel.captureTs).toISOString()}${frame?.load === null || frame === undefined ? '' : `; load average ${frame.load.join(' / ')}`}.`,
    '',
    v.processes.length === 0 ? 'No process flagged.' : mdTable(['PID', 'User', 'Command', 'Flags'], v.processes.slice(0, 50).map((p) => [String(p.pid ?? ''), p.user ?? '', p.command, p.flags.join(', ')])),
  ].join('\n');
  return { key, title: `Processes ${sel.evidencePath}`, markdown, eventIds: v.processes.slice(0, 200).map((p) => p.eventId) };
}
