/**
 * Host-state snapshots: captures of a server's state taken during an incident (mod_status
 * server-status, netstat/ss, ps, top). Each capture is one evidence file; its lines are events at the
 * capture time, and one snapshot row per capture holds the summary below (JSON in hoststate_snapshots).
 * Stored in case files: add fields, never rename.
 */
import { z } from 'zod';

export const SNAPSHOT_KINDS = ['server_status', 'netstat', 'ps', 'top'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

/** Where a capture's time came from: the page itself, or the file's modification time. */
export const CaptureTimeSource = z.enum(['page', 'file_mtime', 'none']);
export type CaptureTimeSource = z.infer<typeof CaptureTimeSource>;

const Counts = z.record(z.string(), z.number());
const num = z.number().nullable();
const str = z.string().nullable();

export const ServerStatusSummary = z.object({
  kind: z.literal('server_status'),
  /** html (the page), lynx (`lynx -dump` text), auto (`?auto`). */
  variant: z.enum(['html', 'lynx', 'auto']),
  host: str,
  serverVersion: str,
  serverMpm: str,
  serverBuilt: str,
  currentTime: str,
  restartTime: str,
  generation: num,
  mpmGeneration: num,
  uptimeSeconds: num,
  totalAccesses: num,
  /** Bytes (kBytes × 1024 for ?auto, `27.7 MB` → 29 045 555 for the page). */
  totalTrafficBytes: num,
  cpuLoad: num,
  requestsPerSec: num,
  busyWorkers: num,
  idleWorkers: num,
  load: z.array(z.number()).nullable(),
  scoreboard: z.string(),
  /** Scoreboard characters counted (`_`, `S`, `R`, `W`, `K`, `D`, `C`, `L`, `G`, `I`, `.`). */
  scoreboardCounts: Counts,
  /** Worker rows of the ExtendedStatus table. */
  workers: z.number(),
  /** Workers per mode (from the worker table). */
  workerModes: Counts,
});
export type ServerStatusSummary = z.infer<typeof ServerStatusSummary>;

export const NetstatSummary = z.object({
  kind: z.literal('netstat'),
  tool: z.enum(['netstat', 'ss']),
  dialect: z.enum(['linux', 'bsd']),
  /** Internet sockets (tcp/udp/raw rows). */
  sockets: z.number(),
  tcp: z.number(),
  udp: z.number(),
  unix: z.number(),
  listeners: z.number(),
  /** TCP states, normalised to netstat's names (ss's ESTAB → ESTABLISHED, SYN-RECV → SYN_RECV). */
  states: Counts,
});
export type NetstatSummary = z.infer<typeof NetstatSummary>;

export const ProcessListSummary = z.object({
  kind: z.literal('ps'),
  /** ef (`ps -ef`), aux (`ps aux`/`auxww`), other (any header-led table). */
  style: z.enum(['ef', 'aux', 'other']),
  processes: z.number(),
  users: Counts,
  webProcesses: z.number(),
  webChildren: num,
  flagged: z.number(),
});
export type ProcessListSummary = z.infer<typeof ProcessListSummary>;

export const TopFrame = z.object({
  time: str,
  uptime: str,
  users: num,
  load: z.array(z.number()).nullable(),
  tasks: Counts,
  cpu: Counts,
  processes: z.number(),
});
export type TopFrame = z.infer<typeof TopFrame>;

export const TopSummary = z.object({
  kind: z.literal('top'),
  /** Frames (`top -b -n3` writes three), at most the first 100. */
  frames: z.array(TopFrame),
  frameCount: z.number(),
  processes: z.number(),
  webProcesses: z.number(),
  flagged: z.number(),
});
export type TopSummary = z.infer<typeof TopSummary>;

export const SnapshotSummary = z.discriminatedUnion('kind', [ServerStatusSummary, NetstatSummary, ProcessListSummary, TopSummary]);
export type SnapshotSummary = z.infer<typeof SnapshotSummary>;

/** Process flags (events' `extra.flags`, comma separated). */
export const PROCESS_FLAGS = ['runs_from_tmp', 'deleted_binary', 'web_server'] as const;
export type ProcessFlag = (typeof PROCESS_FLAGS)[number];

/** Canonical TCP state names (netstat's); ss's and BSD's spellings are mapped to these. */
export function canonicalTcpState(state: string): string {
  const s = state.toUpperCase().replace(/-/gu, '_');
  switch (s) {
    case 'ESTAB':
      return 'ESTABLISHED';
    case 'SYN_RCVD':
    case 'SYN_RECV':
      return 'SYN_RECV';
    case 'SYN_SENT':
      return 'SYN_SENT';
    case 'FIN_WAIT1':
    case 'FIN_WAIT_1':
      return 'FIN_WAIT1';
    case 'FIN_WAIT2':
    case 'FIN_WAIT_2':
      return 'FIN_WAIT2';
    case 'LISTENING':
      return 'LISTEN';
    case 'UNCONN':
      return 'UNCONN';
    default:
      return s;
  }
}
