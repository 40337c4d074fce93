/**
 * auth.log commands that restart, stop, start, reload or kill Apache, the login sessions they ran in,
 * and their correlation with the estimated restarts (with a clock offset estimate). Pure and total.
 */
import { apacheActionFromCommand } from '../parsers/syslog/auth';
import type { RestartEstimate } from './restarts';

/** An auth.log event as the service reads it (kind, user and extra fields from the parser). */
export type AuthEventInput = Readonly<{
  eventId: number;
  evidenceId: number;
  ts: number;
  kind: string;
  user: string | null;
  srcIp: string | null;
  /** sudo: command, tty, run_as, apache_action; session events: tty */
  command: string | null;
  tty: string | null;
  runAs: string | null;
  apacheAction: string | null;
}>;

export type AuthSession = Readonly<{ user: string; from: string | null; loginTs: number; eventId: number }>;

export type AuthCommand = Readonly<{
  eventId: number;
  evidenceId: number;
  ts: number;
  user: string | null;
  command: string;
  action: string;
  tty: string | null;
  runAs: string | null;
  via: 'sudo' | 'cron' | 'other';
  session: AuthSession | null;
}>;

/** Apache commands from auth.log events, each with the most recent open login session of its user. */
export function extractAuthCommands(events: readonly AuthEventInput[]): AuthCommand[] {
  const sorted = events.slice().sort((a, b) => a.ts - b.ts || a.eventId - b.eventId);
  const open = new Map<string, AuthSession[]>();
  const out: AuthCommand[] = [];
  for (const e of sorted) {
    if (e.kind === 'ssh_accepted' && e.user !== null) {
      const list = open.get(e.user) ?? [];
      list.push({ user: e.user, from: e.srcIp, loginTs: e.ts, eventId: e.eventId });
      open.set(e.user, list);
      continue;
    }
    if (e.command === null) {
      continue;
    }
    const action = e.apacheAction ?? apacheActionFromCommand(e.command);
    if (action === null) {
      continue;
    }
    const via = e.kind.startsWith('sudo') ? 'sudo' : e.kind.startsWith('cron') ? 'cron' : 'other';
    if (e.kind.startsWith('sudo') && e.kind !== 'sudo_command') {
      continue; // refused or failed: nothing ran
    }
    const sessions = e.user === null ? undefined : open.get(e.user);
    out.push({
      eventId: e.eventId, evidenceId: e.evidenceId, ts: e.ts, user: e.user, command: e.command, action, tty: e.tty, runAs: e.runAs, via,
      session: sessions?.[sessions.length - 1] ?? null,
    });
  }
  return out;
}

export type RestartMatch = Readonly<{ estimateId: string; commandEventId: number; deltaMs: number }>;
export type ClockOffset = Readonly<{ medianMs: number; spreadMs: number; pairs: number; evidenceIds: readonly number[] }>;

export type AuthCorrelation = Readonly<{
  /** One per matched estimate: its nearest command. */
  matches: readonly RestartMatch[];
  /** Command event id → estimate id, or null ("no effect seen"). */
  commandMatch: ReadonlyMap<number, string | null>;
  /** Add to the auth.log evidence's clock offset to line it up with Apache (null without matched pairs). */
  offset: ClockOffset | null;
}>;

export type CorrelateOptions = Readonly<{ maxSkewMs: number; toleranceMs: number }>;
export const DEFAULT_CORRELATE_OPTIONS: CorrelateOptions = { maxSkewMs: 30 * 60_000, toleranceMs: 5_000 };

const median = (xs: readonly number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** Distance of `t` to [lo, hi] (0 inside). */
const dist = (t: number, lo: number, hi: number): number => (t < lo ? lo - t : t > hi ? t - hi : 0);

type Pair = { e: RestartEstimate; c: AuthCommand; d: number };

/** Nearest-first one-to-one assignment of commands to estimates, commands shifted by `shift`. */
function assign(estimates: readonly RestartEstimate[], commands: readonly AuthCommand[], shift: number, maxMs: number): Pair[] {
  const cand: Pair[] = [];
  for (const e of estimates) {
    for (const c of commands) {
      const t = c.ts + shift;
      const d = e.point !== null ? Math.min(Math.abs(e.point - t), dist(t, e.start, e.end) + 1) : dist(t, e.start, e.end);
      if (d <= maxMs) {
        cand.push({ e, c, d });
      }
    }
  }
  cand.sort((a, b) => a.d - b.d || a.c.ts - b.c.ts);
  const usedE = new Set<string>();
  const usedC = new Set<number>();
  const out: Pair[] = [];
  for (const p of cand) {
    if (!usedE.has(p.e.id) && !usedC.has(p.c.eventId)) {
      usedE.add(p.e.id);
      usedC.add(p.c.eventId);
      out.push(p);
    }
  }
  return out;
}

/**
 * The offset (ms to add to the commands' times) from matched pairs: the median over pairs with a
 * precise restart instant (a notice); otherwise the centre of the offsets that fit the most bounds.
 */
function estimateOffset(pairs: readonly Pair[]): ClockOffset | null {
  if (pairs.length === 0) {
    return null;
  }
  const evidenceIds = [...new Set(pairs.map((p) => p.c.evidenceId))];
  const precise = pairs.filter((p) => p.e.point !== null).map((p) => (p.e.point ?? 0) - p.c.ts);
  if (precise.length > 0) {
    const m = median(precise);
    return { medianMs: m, spreadMs: median(precise.map((x) => Math.abs(x - m))), pairs: precise.length, evidenceIds };
  }
  // Feasible offset intervals [start - t, end - t]: sweep for the deepest overlap.
  const edges: Array<[number, number]> = [];
  for (const p of pairs) {
    edges.push([p.e.start - p.c.ts, 1], [p.e.end - p.c.ts, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let depth = 0;
  let best = -1;
  let lo = 0;
  let hi = 0;
  edges.forEach(([x, k], i) => {
    depth += k;
    if (k === 1 && depth > best) {
      best = depth;
      lo = x;
      hi = edges[i + 1]?.[0] ?? x;
    }
  });
  return { medianMs: (lo + hi) / 2, spreadMs: (hi - lo) / 2, pairs: pairs.length, evidenceIds };
}

/**
 * Matches full-restart estimates to Apache commands: a first pass within `maxSkewMs` gives a clock
 * offset, a second pass with the commands shifted by it and a tight tolerance gives the matches.
 */
export function correlateRestarts(
  estimates: readonly RestartEstimate[],
  commands: readonly AuthCommand[],
  options: CorrelateOptions = DEFAULT_CORRELATE_OPTIONS,
): AuthCorrelation {
  const full = estimates.filter((e) => e.kind === 'full');
  let pairs = assign(full, commands, 0, options.maxSkewMs);
  let offset = estimateOffset(pairs);
  let shift = offset?.medianMs ?? 0;
  let tol = options.maxSkewMs;
  for (let round = 0; round < 3 && offset !== null; round++) {
    shift = offset.medianMs;
    tol = Math.max(options.toleranceMs, 3 * offset.spreadMs);
    pairs = assign(full, commands, shift, tol);
    offset = estimateOffset(pairs);
  }
  const commandMatch = new Map<number, string | null>(commands.map((c) => [c.eventId, null]));
  const matches: RestartMatch[] = [];
  for (const p of pairs) {
    commandMatch.set(p.c.eventId, p.e.id);
    matches.push({ estimateId: p.e.id, commandEventId: p.c.eventId, deltaMs: (p.e.point ?? (p.e.start + p.e.end) / 2) - p.c.ts });
  }
  // A stop and a later start inside one stop/start episode both explain it.
  const shiftNow = offset?.medianMs ?? shift;
  for (const c of commands) {
    if (commandMatch.get(c.eventId) !== null) {
      continue;
    }
    const t = c.ts + shiftNow;
    const e = full.find((x) => (x.cause === 'stop_start' || x.cause === 'start') && dist(t, x.start, x.end) <= tol);
    if (e !== undefined) {
      commandMatch.set(c.eventId, e.id);
    }
  }
  return { matches, commandMatch, offset };
}
