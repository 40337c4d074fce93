import { DossierError } from '../../shared/api/errors';
import type { Finding } from '../../shared/domain/findings';
import type {
  AuthSessionDetail,
  AuthSessionSummary,
  PivotEntity,
  PivotRelated,
  PivotSummary,
  PivotTimeline,
  SessionList,
} from '../../shared/domain/pivot';
import { isLoginProgram, KINDS_WITH_EXTRA, LOGIN_PROGRAM_KINDS, rebuildAuthSessions, SESSION_EVENT_KINDS, type RebuiltSession } from '../core/analysis/auth-sessions';
import { resolveFormat, type FormatId } from '../core/parsers/registry';
import type { ReadableDb } from '../db/connection/sql';
import {
  addressesIn,
  addressTexts,
  authEvents,
  entityCondition,
  entityFacets,
  entityTimeline,
  evidenceInfo,
  related,
  topValues,
  usersFromAddresses,
  webActivity,
  webEventLines,
  webEvidenceIds,
  type EntityCondition,
  type EntityFacets,
} from '../db/queries/pivot';
import { createRawLineReader } from '../db/queries/raw-lines';
import { rowsByIds } from '../db/queries/timeline';
import type { CaseSession } from './case-session';

/**
 * The findings that involve an address or a user (issue 8's detectors). Injected so the pivot page
 * shows them once the findings area is present; by default there are none.
 */
export type FindingsFor = (db: ReadableDb, query: Readonly<{ ip?: string; user?: string }>) => Finding[];

export const NO_FINDINGS: FindingsFor = () => [];

const TOP = 15;
/** User agents are not stored in columns: they are re-derived from at most this many raw lines. */
const UA_SAMPLE = 2000;
const LOGIN_KINDS = ['ssh_accepted', 'login_success', 'login_root', 'su_success'];
/** "Other users from the same addresses" looks at the user's busiest addresses only (each is a pass over its events). */
const CO_USER_ADDRESSES = 10;
const SUDO_KINDS = ['sudo_command', 'sudo_failed', 'sudo_denied'];
const TRIED_KINDS = ['ssh_failed', 'ssh_invalid_user', 'pam_auth_failure', 'ssh_too_many_failures', 'login_failed', 'ssh_user_not_allowed', 'ssh_root_refused'];

/** What sessions are rebuilt from: the events, and each evidence's time settings (re-timing changes `ts`). */
const CASE_STATE_SQL = `SELECT (SELECT coalesce(max(id), 0) FROM events) AS n,
  (SELECT group_concat(id || ':' || clock_offset_ms || ':' || time_zone || ':' || coalesce(year_base, '')) FROM evidence) AS ev`;

type SessionsRequest = Readonly<{ user?: string; ip?: string; from?: number; to?: number; windowMs: number; limit: number }>;

type Rebuilt = Readonly<{ key: string; sessions: RebuiltSession[]; unattributed: number; byId: Map<number, RebuiltSession> }>;

/** The pivot pages and the auth.log sessions over the open case (read only). */
export class PivotService {
  readonly #session: CaseSession;
  readonly #findingsFor: FindingsFor;
  #rebuilt: Rebuilt | null = null;

  constructor(session: CaseSession, findingsFor: FindingsFor = NO_FINDINGS) {
    this.#session = session;
    this.#findingsFor = findingsFor;
  }

  #db(): ReadableDb {
    return this.#session.requireOpen().db;
  }

  entity(entity: PivotEntity): PivotSummary {
    const started = performance.now();
    const db = this.#db();
    const evidence = evidenceInfo(db);
    const cond = entityCondition(db, entity);
    const facets = entityFacets(db, cond, evidence, SUDO_KINDS);
    const src = facets.sources;
    const { relatedLists, whoElse } = src.total === 0 ? { relatedLists: [], whoElse: [] } : this.#related(db, entity, cond, evidence, facets);
    return {
      entity,
      display: cond.display,
      first: src.first,
      last: src.last,
      total: src.total,
      untimed: src.untimed,
      sources: src.sources,
      related: relatedLists,
      whoElse,
      findings: this.#findings(db, entity),
      elapsedMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  timeline(entity: PivotEntity, buckets: number, range: Readonly<{ from?: number; to?: number }>): PivotTimeline {
    const db = this.#db();
    return entityTimeline(db, entityCondition(db, entity), evidenceInfo(db), buckets, range);
  }

  sessions(input: SessionsRequest): SessionList {
    const started = performance.now();
    const db = this.#db();
    const rebuilt = this.#rebuild(db);
    const ips = input.ip === undefined || input.ip.trim() === '' ? null : addressTexts(db, input.ip);
    const matching = rebuilt.sessions.filter(
      (s) =>
        (input.user === undefined || input.user === '' || s.user === input.user) &&
        (ips === null || (s.srcIp !== null && ips.has(s.srcIp))) &&
        (input.from === undefined || (s.end ?? s.start) >= input.from) &&
        (input.to === undefined || s.start < input.to),
    );
    const webIds = webEvidenceIds(evidenceInfo(db));
    const sessions = matching.slice(0, input.limit).map((s) => this.#summary(db, s, webIds, input.windowMs, 0).summary);
    return { sessions, total: matching.length, unattributedCommands: rebuilt.unattributed, elapsedMs: Math.round((performance.now() - started) * 10) / 10 };
  }

  session(id: number, windowMs: number, webLimit: number): AuthSessionDetail {
    const db = this.#db();
    const s = this.#rebuild(db).byId.get(id);
    if (s === undefined) {
      throw new DossierError('not_found', `No auth session starts at event #${id}.`);
    }
    const { summary, webSampleIds } = this.#summary(db, s, webEvidenceIds(evidenceInfo(db)), windowMs, webLimit);
    return {
      ...summary,
      commands: s.commands,
      eventIds: s.eventIds,
      failureEventIds: s.failures.eventIds.slice(-20),
      webSample: rowsByIds(db, webSampleIds).sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.id - b.id),
    };
  }

  #summary(db: ReadableDb, s: RebuiltSession, webIds: ReadonlyArray<number>, windowMs: number, webLimit: number): { summary: AuthSessionSummary; webSampleIds: number[] } {
    const lastSeen = Math.max(s.start, s.end ?? s.start, ...s.commands.map((c) => c.ts ?? s.start));
    const windowFrom = s.start - windowMs;
    const windowTo = lastSeen + windowMs + 1;
    const web = s.srcIp === null ? { count: 0, ids: [] } : webActivity(db, s.srcIp, webIds, windowFrom, windowTo, webLimit);
    return {
      summary: {
        id: s.id, host: s.host, user: s.user, srcIp: s.srcIp, srcPort: s.srcPort, method: s.method, program: s.program, pid: s.pid, start: s.start, end: s.end,
        endKind: s.endKind, durationMs: s.end === null ? null : s.end - s.start, commandCount: s.commands.length,
        failuresBefore: { count: s.failures.count, sameUser: s.failures.sameUser, users: s.failures.users, first: s.failures.first, last: s.failures.last },
        web: { count: web.count, windowFrom: s.srcIp === null ? null : windowFrom, windowTo: s.srcIp === null ? null : windowTo },
      },
      webSampleIds: web.ids,
    };
  }

  /** Sessions are rebuilt once per state of the case (new events, re-timed evidence, another case). */
  #rebuild(db: ReadableDb): Rebuilt {
    const state = db.prepare(CASE_STATE_SQL).get() as { n: number; ev: string | null };
    const key = `${this.#session.requireOpen().path}\u0000${state.n}\u0000${state.ev ?? ''}`;
    if (this.#rebuilt?.key === key) {
      return this.#rebuilt;
    }
    const rows = authEvents(db, { kinds: SESSION_EVENT_KINDS, programKinds: LOGIN_PROGRAM_KINDS, isProgram: isLoginProgram, extraKinds: KINDS_WITH_EXTRA, skipPreauthKinds: ['ssh_disconnect'] }, evidenceInfo(db));
    const { sessions, unattributed } = rebuildAuthSessions(
      rows.map((r) => ({ id: r.id, ts: r.ts, kind: r.kind, host: r.host, program: r.program, pid: r.pid, user: r.user, srcIp: r.src_ip, srcPort: r.src_port, extra: parseExtra(r.extra) })),
    );
    this.#rebuilt = { key, sessions, unattributed: unattributed.length, byId: new Map(sessions.map((s) => [s.id, s])) };
    return this.#rebuilt;
  }

  #findings(db: ReadableDb, entity: PivotEntity): Finding[] {
    if (entity.kind !== 'ip' && entity.kind !== 'user') {
      return [];
    }
    try {
      return this.#findingsFor(db, entity.kind === 'ip' ? { ip: entity.value.trim() } : { user: entity.value });
    } catch (error) {
      // a case without the findings tables (or a detector bug) must not take the pivot page down
      console.error(`[dossier] findings for ${entity.kind} could not be read: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  #related(db: ReadableDb, entity: PivotEntity, cond: EntityCondition, evidence: ReturnType<typeof evidenceInfo>, facets: EntityFacets): { relatedLists: PivotRelated[]; whoElse: PivotRelated[] } {
    const webIds = webEvidenceIds(evidence);
    const top = facets.top;
    const kinds = related('kinds', 'Event kinds', top('kind', TOP));
    switch (entity.kind) {
      case 'ip': {
        const users = top('user', 50);
        const relatedLists = [
          related('logins', 'Logged in as', top('user', TOP, LOGIN_KINDS), 'user'),
          related('tried', 'Users tried (failed, invalid)', top('user', TOP, TRIED_KINDS), 'user'),
          related('paths', 'URLs requested', facets.hasHttp ? topValues(db, cond, 'path', TOP) : []),
          related('statuses', 'HTTP statuses', top('status', TOP)),
          related('methods', 'HTTP methods', top('method', TOP)),
          ...(facets.hasHttp ? [this.#userAgents(db, cond, webIds)] : []),
          kinds,
        ].filter((r) => r.values.length > 0);
        const whoElse: PivotRelated[] = [related('users', 'Users from this address', users, 'user')];
        if (cond.neighbourhood !== null) {
          whoElse.unshift(related('neighbours', `Other addresses in ${cond.neighbourhood}`, addressesIn(db, cond.neighbourhood, cond.ipIds ?? [], 50), 'ip'));
        } else if (entity.value.includes('/')) {
          whoElse.unshift(related('addresses', `Addresses in ${cond.display}`, top('src_ip', 50), 'ip'));
        }
        return { relatedLists, whoElse };
      }
      case 'user': {
        const ips = top('src_ip', 50);
        const relatedLists = [
          related('commands', 'sudo commands', top('command', TOP, SUDO_KINDS)),
          related('hosts', 'Hosts', top('host', TOP), 'host'),
          related('programs', 'Programs', top('program', TOP)),
          kinds,
        ].filter((r) => r.values.length > 0);
        return {
          relatedLists,
          whoElse: [
            related('addresses', 'Addresses of this user', ips, 'ip'),
            related('co-users', 'Other users from the same addresses', usersFromAddresses(db, ips.slice(0, CO_USER_ADDRESSES).map((v) => v.value), entity.value, 50), 'user'),
          ],
        };
      }
      case 'pid':
      case 'host': {
        const relatedLists = [
          related('programs', 'Programs', top('program', TOP)),
          ...(entity.kind === 'pid' ? [related('hosts', 'Hosts', top('host', TOP), 'host')] : []),
          kinds,
        ].filter((r) => r.values.length > 0);
        return {
          relatedLists,
          whoElse: [related('addresses', 'Addresses', top('src_ip', 50), 'ip'), related('users', 'Users', top('user', 50), 'user')],
        };
      }
    }
  }

  /** User agents of the address's latest web requests, re-derived from their raw lines. */
  #userAgents(db: ReadableDb, cond: EntityCondition, webIds: ReadonlyArray<number>): PivotRelated {
    const lines = webEventLines(db, cond, webIds, UA_SAMPLE + 1);
    const sampled = lines.length > UA_SAMPLE;
    const formats = new Map((db.prepare('SELECT id, format FROM evidence').all() as Array<{ id: number; format: string }>).map((r) => [r.id, r.format]));
    const reader = createRawLineReader(db, 16);
    const counts = new Map<string, number>();
    for (const l of lines.slice(0, UA_SAMPLE)) {
      const bytes = reader.line(l.evidenceId, l.lineNo);
      const fmt = resolveFormat((formats.get(l.evidenceId) ?? 'text') as FormatId);
      if (bytes === null || !fmt.ok) {
        continue;
      }
      const r = fmt.format.parse(bytes.toString('utf8'));
      const ua = r.ok ? r.event.http?.userAgent : null;
      if (ua !== null && ua !== undefined && ua !== '' && ua !== '-') {
        counts.set(ua, (counts.get(ua) ?? 0) + 1);
      }
    }
    const values = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, TOP);
    return related('agents', sampled ? `User agents (latest ${UA_SAMPLE} requests)` : 'User agents', values, null, sampled);
  }
}

function parseExtra(text: string | null): Record<string, string | number | boolean | null> {
  if (text === null) {
    return {};
  }
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, string | number | boolean | null>) : {};
  } catch {
    return {};
  }
}
