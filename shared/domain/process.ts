import { z } from 'zod';

/** Apache worker analysis (UNIQUE_ID decoding, worker PIDs, restarts, auth.log correlation): shapes of process.*. */

export const UidEvidence = z.object({
  evidenceId: z.number(),
  path: z.string(),
  decoded: z.number(),
  malformed: z.number(),
  malformedExample: z.string().nullable(),
  layouts: z.array(z.string()),
  /** Logged %t minus the UNIQUE_ID time (ms): median, median absolute deviation, min, max. */
  diffMedianMs: z.number().nullable(),
  diffSpreadMs: z.number().nullable(),
  diffMinMs: z.number().nullable(),
  diffMaxMs: z.number().nullable(),
});
export type UidEvidence = z.infer<typeof UidEvidence>;

export const WorkerPoint = z.object({
  /** first request of the child in this bucket (UTC ms) */
  t: z.number(),
  slot: z.number().nullable(),
  /** the PID, or for the 2.4 root layouts (no PID) the child's index */
  y: z.number(),
  pid: z.number().nullable(),
  child: z.string(),
  n: z.number(),
});
export type WorkerPoint = z.infer<typeof WorkerPoint>;

export const WorkerLifetime = z.object({
  slot: z.number().nullable(),
  child: z.string(),
  pid: z.number().nullable(),
  y: z.number(),
  first: z.number(),
  last: z.number(),
  n: z.number(),
  minCounter: z.number(),
  maxCounter: z.number(),
});
export type WorkerLifetime = z.infer<typeof WorkerLifetime>;

export const CounterGapRow = z.object({
  child: z.string(),
  pid: z.number().nullable(),
  slot: z.number().nullable(),
  first: z.number(),
  last: z.number(),
  logged: z.number(),
  served: z.number(),
  missing: z.number(),
});
export type CounterGapRow = z.infer<typeof CounterGapRow>;

export const WorkersData = z.object({
  available: z.boolean(),
  decodedRequests: z.number(),
  evidence: z.array(UidEvidence),
  bucketMs: z.number(),
  range: z.object({ from: z.number(), to: z.number() }).nullable(),
  points: z.array(WorkerPoint),
  lifetimes: z.array(WorkerLifetime),
  gaps: z.array(CounterGapRow),
  elapsedMs: z.number(),
});
export type WorkersData = z.infer<typeof WorkersData>;

export const RestartEvidenceRow = z.object({
  kind: z.enum(['worker_turnover', 'error_log', 'child_crash', 'server_status']),
  text: z.string(),
  eventId: z.number().nullable(),
  ts: z.number().nullable(),
});

export const AuthSessionRow = z.object({ user: z.string(), from: z.string().nullable(), loginTs: z.number(), eventId: z.number() });

export const AuthCommandRow = z.object({
  eventId: z.number(),
  evidenceId: z.number(),
  time: z.number(),
  user: z.string().nullable(),
  command: z.string(),
  action: z.string(),
  tty: z.string().nullable(),
  runAs: z.string().nullable(),
  via: z.enum(['sudo', 'cron', 'other']),
  session: AuthSessionRow.nullable(),
  /** The estimate this command explains, or null: "no effect seen". */
  matchedEstimateId: z.string().nullable(),
});
export type AuthCommandRow = z.infer<typeof AuthCommandRow>;

export const RestartRow = z.object({
  id: z.string(),
  kind: z.enum(['full', 'slot']),
  source: z.enum(['unique_id', 'error_log', 'both', 'server_status']),
  start: z.number(),
  end: z.number(),
  point: z.number().nullable(),
  slots: z.array(z.number()),
  oldPids: z.array(z.number()),
  newPids: z.array(z.number()),
  evidence: z.array(RestartEvidenceRow),
  confidence: z.enum(['high', 'medium', 'low']),
  cause: z.enum(['restart', 'stop_start', 'stop', 'start', 'crash', 'recycle', 'unknown']),
  authMatch: z
    .object({ eventId: z.number(), evidenceId: z.number(), time: z.number(), user: z.string().nullable(), command: z.string(), deltaS: z.number(), from: z.string().nullable(), tty: z.string().nullable() })
    .nullable(),
});
export type RestartRow = z.infer<typeof RestartRow>;

export const ClockOffsetRow = z.object({
  /** Seconds to add to the auth.log evidence's times to line them up with Apache's. */
  medianS: z.number(),
  spreadS: z.number(),
  pairs: z.number(),
  evidence: z.array(z.object({ evidenceId: z.number(), path: z.string(), currentOffsetMs: z.number(), suggestedOffsetMs: z.number() })),
});
export type ClockOffsetRow = z.infer<typeof ClockOffsetRow>;

export const RestartsData = z.object({
  hasUniqueIds: z.boolean(),
  estimates: z.array(RestartRow),
  authCommands: z.array(AuthCommandRow),
  clockOffset: ClockOffsetRow.nullable(),
  elapsedMs: z.number(),
});
export type RestartsData = z.infer<typeof RestartsData>;
