/**
 * The pivot pages (issue 8, item 3): one entity (an IP or CIDR range, a user, a PID, a host) across
 * every source of the case, and the auth.log sessions (login → sudo/su → logout) with the web
 * activity of the same address around them.
 */
import { z } from 'zod';
import { Finding } from './findings';
import { TimelineRow } from './timeline';

export const PivotKind = z.enum(['ip', 'user', 'pid', 'host']);
export type PivotKind = z.infer<typeof PivotKind>;

/** What to pivot on: `ip` takes an address or a CIDR range; `pid` a decimal process id. */
export const PivotEntity = z
  .object({
    kind: PivotKind,
    value: z.string().min(1).max(256),
  })
  .strict();
export type PivotEntity = z.infer<typeof PivotEntity>;

export const ValueCount = z.object({ value: z.string(), count: z.number().int() });
export type ValueCount = z.infer<typeof ValueCount>;

/** One evidence file's share of the entity's events. */
export const PivotEvidence = z.object({
  evidenceId: z.number().int(),
  evidencePath: z.string(),
  count: z.number().int(),
  first: z.number().nullable(),
  last: z.number().nullable(),
});

/** Per source kind (grouped by the evidence's `source_kind`, whatever kinds the case holds). */
export const PivotSource = z.object({
  sourceKind: z.string(),
  count: z.number().int(),
  first: z.number().nullable(),
  last: z.number().nullable(),
  evidence: z.array(PivotEvidence),
});
export type PivotSource = z.infer<typeof PivotSource>;

/** A list of top values related to the entity (users it tried, URLs, statuses, sudo commands…). */
export const PivotRelated = z.object({
  id: z.string(),
  label: z.string(),
  /** When the values are themselves entities, what to pivot on when one is clicked. */
  pivotKind: PivotKind.nullable(),
  values: z.array(ValueCount),
  /** True when the counts come from a sample of the entity's events (fields re-derived from raw lines). */
  sampled: z.boolean(),
});
export type PivotRelated = z.infer<typeof PivotRelated>;

export const PivotSummary = z.object({
  entity: PivotEntity,
  /** The value as matched (a CIDR normalised, an IPv4-mapped address unwrapped). */
  display: z.string(),
  first: z.number().nullable(),
  last: z.number().nullable(),
  total: z.number().int(),
  untimed: z.number().int(),
  sources: z.array(PivotSource),
  related: z.array(PivotRelated),
  /** "Who else": other IPs of the same /24, other users of the same IP, other IPs of the same user… */
  whoElse: z.array(PivotRelated),
  findings: z.array(Finding),
  elapsedMs: z.number(),
});
export type PivotSummary = z.infer<typeof PivotSummary>;

export const PivotTimelineRequest = z
  .object({
    entity: PivotEntity,
    buckets: z.number().int().min(10).max(500).default(80),
    from: z.number().int().optional(),
    to: z.number().int().optional(),
  })
  .strict();

export const PivotTimeline = z.object({
  from: z.number().nullable(),
  to: z.number().nullable(),
  bucketMs: z.number(),
  bucketLabel: z.string(),
  starts: z.array(z.number()),
  series: z.array(z.object({ key: z.string(), counts: z.array(z.number()) })),
  total: z.number(),
});
export type PivotTimeline = z.infer<typeof PivotTimeline>;

// ---------------------------------------------------------------------------------------------------
// auth.log sessions

export const SessionCommandKind = z.enum(['sudo', 'sudo_failed', 'sudo_denied', 'su', 'su_failed']);
export type SessionCommandKind = z.infer<typeof SessionCommandKind>;

/**
 * How a command was tied to its session: `pid` (same process as the login), `user_time` (the only
 * open session of that user on that host at the time), `ambiguous` (several were open: the latest
 * login that fits was chosen).
 */
export const SessionLinkage = z.enum(['pid', 'user_time', 'ambiguous']);
export type SessionLinkage = z.infer<typeof SessionLinkage>;

export const SessionCommand = z.object({
  eventId: z.number().int(),
  ts: z.number().nullable(),
  kind: SessionCommandKind,
  user: z.string().nullable(),
  runAs: z.string().nullable(),
  command: z.string().nullable(),
  tty: z.string().nullable(),
  pwd: z.string().nullable(),
  linkage: SessionLinkage,
});
export type SessionCommand = z.infer<typeof SessionCommand>;

export const SessionEnd = z.enum(['session_closed', 'disconnect', 'logout']);

export const AuthSessionSummary = z.object({
  /** The id of the login event (stable across calls). */
  id: z.number().int(),
  host: z.string().nullable(),
  user: z.string().nullable(),
  srcIp: z.string().nullable(),
  srcPort: z.number().nullable(),
  /** `password`, `publickey`, `keyboard-interactive/pam`, `console`… as logged. */
  method: z.string().nullable(),
  program: z.string().nullable(),
  pid: z.number().nullable(),
  start: z.number().nullable(),
  end: z.number().nullable(),
  endKind: SessionEnd.nullable(),
  durationMs: z.number().nullable(),
  commandCount: z.number().int(),
  /** Failed attempts from the same address since its previous successful login. */
  failuresBefore: z.object({
    count: z.number().int(),
    sameUser: z.number().int(),
    users: z.array(ValueCount),
    first: z.number().nullable(),
    last: z.number().nullable(),
  }),
  /** Access-log requests from the same address in [windowFrom, windowTo). */
  web: z.object({ count: z.number().int(), windowFrom: z.number().nullable(), windowTo: z.number().nullable() }),
});
export type AuthSessionSummary = z.infer<typeof AuthSessionSummary>;

export const SessionsRequest = z
  .object({
    user: z.string().max(256).optional(),
    /** An address or a CIDR range. */
    ip: z.string().max(256).optional(),
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    /** Around each session: how far before its start and after its end to look for web requests. */
    windowMs: z.number().int().min(0).max(7 * 86_400_000).default(2 * 3_600_000),
    limit: z.number().int().min(1).max(2000).default(500),
  })
  .strict();
export type SessionsRequest = z.input<typeof SessionsRequest>;

export const SessionList = z.object({
  sessions: z.array(AuthSessionSummary),
  /** Sessions matching the filters (the list holds at most `limit`). */
  total: z.number().int(),
  /** sudo/su lines no session could be found for. */
  unattributedCommands: z.number().int(),
  elapsedMs: z.number(),
});
export type SessionList = z.infer<typeof SessionList>;

export const SessionRequest = z
  .object({
    id: z.number().int(),
    windowMs: z.number().int().min(0).max(7 * 86_400_000).default(2 * 3_600_000),
    webLimit: z.number().int().min(1).max(500).default(20),
  })
  .strict();

export const AuthSessionDetail = AuthSessionSummary.extend({
  commands: z.array(SessionCommand),
  /** The session's own lines: login, PAM session opened/closed, disconnect. */
  eventIds: z.array(z.number().int()),
  /** The failed attempts before it (a few of their event ids). */
  failureEventIds: z.array(z.number().int()),
  webSample: z.array(TimelineRow),
});
export type AuthSessionDetail = z.infer<typeof AuthSessionDetail>;
