/**
 * Contract methods of one area: Host-state evidence: server-status, netstat/ss, ps/top, strace, manifests, bodyfiles (hoststate.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/hoststate.ts;
 * preload allowlist in electron/preload/channels/hoststate.ts.
 */
import { z } from 'zod';
import { CaptureTimeSource, SnapshotSummary, TopFrame } from '../../domain/hoststate';
import { method, type MethodSpec } from '../method';

const Id = z.number().int().positive();

export const Snapshot = z.object({
  evidenceId: z.number(),
  evidencePath: z.string(),
  kind: z.enum(['server_status', 'netstat', 'ps', 'top']),
  /** UTC ms (as re-timed with its evidence); null when unknown. */
  captureTs: z.number().nullable(),
  timeSource: CaptureTimeSource,
  timeText: z.string().nullable(),
  summary: SnapshotSummary,
});
export type Snapshot = z.infer<typeof Snapshot>;

const Tally = z.object({ key: z.string(), count: z.number(), flagged: z.boolean(), members: z.number().optional() });
export type TallyRow = z.infer<typeof Tally>;

export const WorkerRow = z.object({
  eventId: z.number(),
  slot: z.string(),
  pid: z.number().nullable(),
  mode: z.string(),
  ss: z.number().nullable(),
  cpu: z.number().nullable(),
  accesses: z.string(),
  client: z.string(),
  vhost: z.string().nullable(),
  request: z.string(),
});
export type WorkerRow = z.infer<typeof WorkerRow>;

export const ServerStatusView = z.object({
  /** Every server-status capture, oldest first (state mix over time). */
  captures: z.array(Snapshot),
  /** The capture shown (the chosen one, else the latest). */
  selected: Snapshot.nullable(),
  /** Default slow-read threshold: the server's Timeout when a config file in the case names it, else 60 s. */
  timeout: z.object({ seconds: z.number(), source: z.string() }),
  slowThresholdSeconds: z.number(),
  clientThreshold: z.number(),
  slowRead: z.array(WorkerRow),
  byIp: z.array(Tally),
  byNetwork: z.array(Tally),
  workers: z.array(WorkerRow),
});
export type ServerStatusView = z.infer<typeof ServerStatusView>;

export const ConnectionRow = z.object({
  eventId: z.number(),
  proto: z.string(),
  local: z.string(),
  remote: z.string(),
  remoteIp: z.string().nullable(),
  state: z.string().nullable(),
  pid: z.number().nullable(),
  program: z.string().nullable(),
  listen: z.boolean(),
});
export type ConnectionRow = z.infer<typeof ConnectionRow>;

export const NetstatView = z.object({
  captures: z.array(Snapshot),
  selected: Snapshot.nullable(),
  threshold: z.number(),
  states: z.array(Tally),
  byRemoteIp: z.array(Tally),
  byRemoteNetwork: z.array(Tally),
  byLocalPort: z.array(Tally),
  listeners: z.array(ConnectionRow),
  synRecv: z.number(),
  connections: z.array(ConnectionRow),
  truncated: z.boolean(),
});
export type NetstatView = z.infer<typeof NetstatView>;

export const ProcessRow = z.object({
  eventId: z.number(),
  pid: z.number().nullable(),
  ppid: z.number().nullable(),
  user: z.string().nullable(),
  program: z.string().nullable(),
  command: z.string(),
  flags: z.array(z.string()),
  cpu: z.string().nullable(),
});
export type ProcessRow = z.infer<typeof ProcessRow>;

export const ProcessesView = z.object({
  captures: z.array(Snapshot),
  selected: Snapshot.nullable(),
  processes: z.array(ProcessRow),
  truncated: z.boolean(),
  /** top frames of the selected capture (or of the latest top capture). */
  topFrames: z.array(TopFrame),
});
export type ProcessesView = z.infer<typeof ProcessesView>;

export const hostStateMethods = {
  /** Every host-state capture of the case with its summary, in capture order. */
  'hoststate.snapshots': method(z.object({ kind: z.enum(['server_status', 'netstat', 'ps', 'top']).optional() }).strict(), z.array(Snapshot)),
  /** A server-status capture: slow-read workers above a threshold, workers per client IP and per /24 above another. */
  'hoststate.serverStatus': method(
    z
      .object({
        evidenceId: Id.optional(),
        slowThresholdSeconds: z.number().int().min(0).max(10_000_000).optional(),
        clientThreshold: z.number().int().min(0).max(1_000_000).default(20),
      })
      .strict(),
    ServerStatusView,
  ),
  /** A netstat/ss capture: TCP state mix, connections per remote IP, /24 and local port, listeners, SYN_RECV. */
  'hoststate.netstat': method(z.object({ evidenceId: Id.optional(), threshold: z.number().int().min(0).max(1_000_000).default(20) }).strict(), NetstatView),
  /** A ps/top capture: processes with flags (runs from /tmp or /dev/shm, deleted binary, web server). */
  'hoststate.processes': method(z.object({ evidenceId: Id.optional(), flaggedOnly: z.boolean().default(false) }).strict(), ProcessesView),
  /**
   * A panel as the report and hypotheses take it: a stable key (hypotheses link it with target kind
   * `panel`), a title, Markdown of its flagged rows (log text escaped) and the event ids behind it.
   */
  'hoststate.exportPanel': method(
    z
      .object({
        panel: z.enum(['serverStatus', 'netstat', 'processes']),
        evidenceId: Id.optional(),
        slowThresholdSeconds: z.number().int().min(0).max(10_000_000).optional(),
        threshold: z.number().int().min(0).max(1_000_000).default(20),
      })
      .strict(),
    z.object({ key: z.string(), title: z.string(), markdown: z.string(), eventIds: z.array(z.number()) }),
  ),
} as const satisfies Record<string, MethodSpec>;
