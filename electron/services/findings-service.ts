/**
 * Runs every detector over the open case and stores the findings (issue 8). Called by the ingest
 * worker after the indexes are built (off the main thread), and by `findings.run` in the back-end
 * worker with new parameters. Pure detectors live in electron/core/detectors; SQL in
 * electron/db/queries/findings.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectAuth, detectFail2ban, unbans } from '../core/detectors/auth-detectors';
import { detectMaxClients, detectRestartLoops, detectSegfaultStorms } from '../core/detectors/availability-detectors';
import { DraftBuilder, fmtCount, maxSeverity, SEVERITY_RANK, type FindingDraft } from '../core/detectors/types';
import {
  errorCandidate,
  matchWeb,
  parseWebRules,
  requestOfMessage,
  uaCandidate,
  urlCandidate,
  urlOfRequest,
  type WebHit,
  type WebRuleSet,
} from '../core/detectors/web-rules';
import { DetectorParams, type FindingSeverity } from '../../shared/domain/findings';
import type { ReadableDb, WritableDb } from '../db/connection/sql';
import {
  authEvents,
  errorKindEvents,
  eventsFromIpBetween,
  evidenceRanges,
  fail2banEvents,
  findingEvents,
  lastRun,
  listFindings,
  ipLookup,
  ipsInNet,
  iterateAccessCandidates,
  allStrings,
  busyIpMinutes,
  busyNetMinutes,
  busyPosts,
  iterateErrorRows,
  requestsFrom,
  storeFindings,
  hasAnyUserAgent,
  stringId,
  type EvidenceRange,
} from '../db/queries/findings';
import { appRoot } from './app-paths';

let cachedRules: { path: string; set: WebRuleSet } | null = null;

/** The web rule set from resources/rules/web.yaml (or `path`); a malformed file throws a clear error. */
export function loadWebRules(path: string = join(appRoot(), 'resources', 'rules', 'web.yaml')): WebRuleSet {
  if (cachedRules?.path === path) {
    return cachedRules.set;
  }
  const r = parseWebRules(readFileSync(path, 'utf8'), path);
  if (!r.ok) {
    throw new Error(`Web rules could not be loaded: ${r.error}`);
  }
  cachedRules = { path, set: r.set };
  return r.set;
}

const MINUTE = 60_000;

/**
 * Request lines whose rule matches the access scan remembers (emptied when full): scanners repeat the same
 * request lines within minutes. 50,000 held 38,000 request lines (6 MB of live heap at 5M access lines) for the
 * same scan time as 8,192 (docs/PERFORMANCE.md, session 11).
 */
const URL_CACHE_ENTRIES = 8192;

type WebRuleInfo = Readonly<{ id: string; title: string; description: string; category: FindingDraft['category'] }>;

/**
 * The hits of one web rule from one address. Lean on purpose: at 5M access lines there are about 29,000
 * of them. A DraftBuilder each (two Sets, a draft made by spreading, with a hidden class of its own)
 * held about 80 MB of live heap (session 4); a finding draft each (with its empty users, details and
 * one-address list) still 51 MB of live heap at the end of the access scan, 45 MB with the group's fields
 * flat and the draft made only when the findings are (docs/PERFORMANCE.md, session 11).
 */
class WebGroup {
  severity: FindingSeverity;
  hits = 0;
  first: number | null = null;
  last: number | null = null;
  readonly eventIds: number[] = [];
  readonly evidence: string[] = [];
  readonly bySeverity: Record<string, number> = {};

  constructor(
    readonly key: string,
    readonly rule: WebRuleInfo,
    /** The severity of the first hit (the draft's, as the merged findings report it). */
    readonly firstSeverity: FindingSeverity,
    readonly ip: string | null,
  ) {
    this.severity = firstSeverity;
  }

  /** Adds one event (what DraftBuilder.add does, for the group's one address). */
  add(id: number, ts: number | null): void {
    this.eventIds.push(id);
    if (ts !== null) {
      this.first = this.first === null || ts < this.first ? ts : this.first;
      this.last = this.last === null || ts > this.last ? ts : this.last;
    }
  }

  get srcIps(): string[] {
    return this.ip === null ? [] : [this.ip];
  }

  draft(): FindingDraft {
    const r = this.rule;
    return {
      key: this.key, rule: r.id, title: r.title, description: r.description, category: r.category, severity: this.firstSeverity,
      first: this.first, last: this.last, eventIds: this.eventIds, srcIps: this.srcIps, users: [], details: {},
    };
  }
}

/**
 * The rules' keyword prefilter as the SQL function of iterateAccessCandidates. Made here, not inside
 * scanAccess: SQLite keeps the function (a global handle) as long as the connection, and a closure made
 * in scanAccess would keep scanAccess's whole scope with it (every group's event ids and the request
 * cache: 35 MB at 5M access lines, through the detectors and the full-text build that follow).
 */
export function urlPrefilter(set: WebRuleSet): (message: string) => boolean {
  return (message) => urlCandidate(set, message);
}

/**
 * Optional hooks of a detector run. `between` is called between its steps (after the access scan and
 * before its per-minute GROUP BYs, between the detectors, before the findings are stored): the ingest job
 * collects the garbage of the step just ended there, so the next step's memory (the GROUP BYs' sorters)
 * does not stack on it (docs/PERFORMANCE.md, session 10). The detectors themselves never collect.
 */
export type DetectorHooks = Readonly<{ between?: (step: DetectorStep) => void }>;
/** The steps `between` ends, in order ('access rates' only when the case has access logs). */
export const DETECTOR_STEPS = ['access rates', 'errors', 'auth', 'fail2ban', 'store'] as const;
export type DetectorStep = (typeof DETECTOR_STEPS)[number];

export type AccessScanStats = { rows: number; candidates: number; hits: number; distinctAgents: number; agentsTested: number; ms: number };

/**
 * One pass over the access rows of the case: web rules (prefilter, then the rules), user-agent rules
 * once per distinct agent, requests per IP and per /24 per minute, POSTs per (IP, URL) per window.
 */
export function scanAccess(
  db: ReadableDb,
  set: WebRuleSet,
  p: DetectorParams,
  ranges: ReadonlyArray<EvidenceRange>,
  options: Readonly<{ rates?: boolean }> & DetectorHooks = {},
): { drafts: FindingDraft[]; stats: AccessScanStats } {
  const t0 = performance.now();
  const ipText = ipLookup(db);
  const post = stringId(db, 'POST');
  const rates = options.rates !== false;
  const groups = new Map<string, WebGroup>();
  let rows = 0;
  let candidates = 0;
  let hits = 0;

  const record = (id: number, list: ReadonlyArray<WebHit>, status: number | null, ts: number | null, srcIp: number | null): void => {
    const c = { ts, ip: srcIp === null ? null : ipText(srcIp) };
    for (const h of list) {
      const sev = h.field === 'ua' ? (h.rule.status[`${Math.floor((status ?? 0) / 100)}xx`] ?? h.rule.severity) : h.severity;
      const key = `${h.rule.id}|${c.ip ?? '-'}`;
      let g = groups.get(key);
      if (g === undefined) {
        g = new WebGroup(key, h.rule, sev, c.ip);
        groups.set(key, g);
      }
      g.add(id, c.ts);
      g.severity = maxSeverity(g.severity, sev);
      g.hits += 1;
      g.bySeverity[sev] = (g.bySeverity[sev] ?? 0) + 1;
      if (g.evidence.length < 5 || (SEVERITY_RANK[sev] >= SEVERITY_RANK.high && !g.evidence.includes(h.evidence))) {
        g.evidence.push(h.evidence);
      }
      hits += 1;
    }
  };

  // User agents: every interned string tested once; rows are then selected by agent id in SQLite.
  const uaHits = new Map<number, WebHit[]>();
  let agentsTested = 0;
  if (set.hasUaRules) {
    for (const { id, value } of allStrings(db)) {
      agentsTested += 1;
      if (uaCandidate(set, value)) {
        const h = matchWeb(set, { source: 'access', url: null, ua: value, message: null, status: null }, ['ua']);
        if (h.length > 0) {
          uaHits.set(id, h);
        }
      }
    }
  }
  const candidate = urlPrefilter(set);
  // Scanners repeat the same request lines (the message holds the status too): match each once.
  const urlCache = new Map<string, WebHit[]>();
  for (const ev of ranges) {
    for (const [id, message, status, ua, srcIp, ts] of iterateAccessCandidates(db, ev, [...uaHits.keys()], candidate)) {
      rows += 1;
      candidates += 1;
      let byUrl = urlCache.get(message);
      if (byUrl === undefined) {
        const url = urlOfRequest(requestOfMessage(message));
        byUrl = urlCandidate(set, message) ? matchWeb(set, { source: 'access', url, ua: null, message: null, status }, ['url']) : [];
        if (urlCache.size >= URL_CACHE_ENTRIES) {
          urlCache.clear();
        }
        urlCache.set(message, byUrl);
      }
      const found: WebHit[] = [...byUrl];
      const byUa = ua === null ? undefined : uaHits.get(ua);
      if (byUa !== undefined) {
        found.push(...byUa.filter((h) => !found.some((f) => f.rule.id === h.rule.id)));
      }
      if (found.length > 0) {
        record(id, found, status, ts, srcIp);
      }
    }
  }
  rows = ranges.reduce((n, r) => n + (r.last - r.first + 1), 0);

  const drafts = webDrafts(groups, p);
  // What the drafts do not take is garbage from here: the groups merged into "others" (their event ids were
  // copied), the request cache, the agents' hits. Dropped before the per-minute GROUP BYs below run beside it.
  groups.clear();
  urlCache.clear();
  uaHits.clear();
  const evidenceIds = ranges.map((r) => r.id);
  if (rates) {
    options.between?.('access rates');
    const postMs = p.postBurstWindowSeconds * 1000;
    const hotIp = busyIpMinutes(db, ranges, p.ipRequestsPerMinute);
    const hotNet = busyNetMinutes(db, ranges, p.subnetRequestsPerMinute);
    const hotPost = post === null ? [] : busyPosts(db, ranges, post, postMs, p.postBurstCount);
    drafts.push(...floodDrafts(db, hotIp, hotNet, hotPost, ipText, evidenceIds, post, postMs));
  }
  return { drafts, stats: { rows, candidates, hits, distinctAgents: uaHits.size, agentsTested, ms: Math.round(performance.now() - t0) } };
}

function describeWeb(g: WebGroup): string {
  const counts = Object.entries(g.bySeverity).sort((a, b) => SEVERITY_RANK[b[0] as FindingSeverity] - SEVERITY_RANK[a[0] as FindingSeverity]);
  const tiers = counts.map(([s, n]) => `${n} ${s}`).join(', ');
  return `${g.rule.description} ${fmtCount(g.hits, 'request')}${g.ip !== null ? ` from ${g.ip}` : ''} (${tiers}).`;
}

/** One finding per (rule, IP); beyond `webMaxFindingsPerRule` per rule, those below high are merged. */
function webDrafts(groups: Map<string, WebGroup>, p: DetectorParams): FindingDraft[] {
  const byRule = new Map<string, WebGroup[]>();
  for (const g of groups.values()) {
    const list = byRule.get(g.rule.id) ?? [];
    list.push(g);
    byRule.set(g.rule.id, list);
  }
  const out: FindingDraft[] = [];
  for (const [rule, list] of byRule) {
    list.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.hits - a.hits);
    const keep = list.filter((g, i) => i < p.webMaxFindingsPerRule || SEVERITY_RANK[g.severity] >= SEVERITY_RANK.high);
    const kept = new Set(keep);
    const rest = list.filter((g) => !kept.has(g));
    for (const g of keep) {
      const ip = g.ip;
      out.push({
        ...g.draft(), severity: g.severity, title: `${g.rule.title}${ip === null ? '' : ` from ${ip}`}`, description: describeWeb(g),
        details: { evidence: g.evidence, bySeverity: g.bySeverity },
      });
    }
    if (rest.length > 0) {
      const first = rest[0];
      if (first === undefined) {
        continue;
      }
      const b = new DraftBuilder({ key: `${rule}|others`, rule, title: `${first.rule.title} from ${rest.length} more addresses`, description: '', category: first.rule.category, severity: 'info' });
      let sev: FindingSeverity = 'info';
      const bySeverity: Record<string, number> = {};
      const evidence: string[] = [];
      for (const g of rest) {
        g.eventIds.forEach((id) => b.draft.eventIds.push(id));
        for (const ip of g.srcIps) {
          b.add({ id: -1, ts: g.first, ip });
          b.draft.eventIds.pop();
        }
        if (g.last !== null) {
          b.add({ id: -1, ts: g.last });
          b.draft.eventIds.pop();
        }
        sev = maxSeverity(sev, g.severity);
        Object.entries(g.bySeverity).forEach(([s, n]) => (bySeverity[s] = (bySeverity[s] ?? 0) + n));
        if (evidence.length < 5) {
          evidence.push(...g.evidence.slice(0, 5 - evidence.length));
        }
      }
      const total = Object.values(bySeverity).reduce((a, n) => a + n, 0);
      out.push({ ...b.draft, severity: sev, description: `${first.rule.description} ${fmtCount(total, 'request')} from ${fmtCount(rest.length, 'address')}.`, details: { evidence, bySeverity } });
    }
  }
  return out;
}

function floodDrafts(
  db: ReadableDb,
  hotIp: ReadonlyArray<{ ipId: number; minute: number; n: number }>,
  hotNet: ReadonlyArray<{ net: number; minute: number; n: number }>,
  hotPost: ReadonlyArray<{ ipId: number; path: string; bucket: number; n: number }>,
  ipText: (id: number) => string | null,
  evidenceIds: ReadonlyArray<number>,
  post: number | null,
  postMs: number,
): FindingDraft[] {
  const out: FindingDraft[] = [];
  const byIp = new Map<number, Array<{ minute: number; n: number }>>();
  for (const h of hotIp) {
    byIp.set(h.ipId, [...(byIp.get(h.ipId) ?? []), h]);
  }
  for (const [ipId, minutes] of byIp) {
    const ip = ipText(ipId) ?? '?';
    const peak = Math.max(...minutes.map((m) => m.n));
    const b = new DraftBuilder({
      key: `availability.ip_flood|${ip}`, rule: 'availability.ip_flood', title: `Request flood from ${ip}`,
      description: `${ip} sent up to ${peak.toLocaleString('en')} requests per minute during ${fmtCount(minutes.length, 'minute')} above the threshold.`,
      category: 'availability', severity: 'high', details: { peakPerMinute: peak, minutes: minutes.length },
    });
    for (const m of minutes) {
      requestsFrom(db, ipId, m.minute * MINUTE, (m.minute + 1) * MINUTE, evidenceIds).forEach((e) => b.add({ ...e, ip }));
    }
    out.push(b.draft);
  }
  const byNet = new Map<number, Array<{ minute: number; n: number }>>();
  for (const h of hotNet) {
    byNet.set(h.net, [...(byNet.get(h.net) ?? []), h]);
  }
  for (const [net, minutes] of byNet) {
    const cidr = `${Math.floor(net / 65536)}.${Math.floor(net / 256) % 256}.${net % 256}.0/24`;
    const members = ipsInNet(db, net);
    // A /24 whose traffic is one flooding address is already reported per IP.
    if (members.length < 2) {
      continue;
    }
    const peak = Math.max(...minutes.map((m) => m.n));
    const b = new DraftBuilder({
      key: `availability.subnet_flood|${cidr}`, rule: 'availability.subnet_flood', title: `Request flood from ${cidr}`,
      description: `Addresses in ${cidr} sent up to ${peak.toLocaleString('en')} requests per minute during ${fmtCount(minutes.length, 'minute')}.`,
      category: 'availability', severity: 'medium', details: { peakPerMinute: peak, minutes: minutes.length, cidr },
    });
    for (const m of minutes) {
      for (const v of members) {
        requestsFrom(db, v.id, m.minute * MINUTE, (m.minute + 1) * MINUTE, evidenceIds).forEach((e) => b.add({ ...e, ip: v.text }));
      }
    }
    out.push(b.draft);
  }
  const byPost = new Map<string, Array<{ ipId: number; path: string; bucket: number; n: number }>>();
  for (const h of hotPost) {
    const k = `${h.ipId}|${h.path}`;
    byPost.set(k, [...(byPost.get(k) ?? []), h]);
  }
  for (const list of byPost.values()) {
    const h0 = list[0];
    if (h0 === undefined || post === null) {
      continue;
    }
    const ip = ipText(h0.ipId) ?? '?';
    const peak = Math.max(...list.map((m) => m.n));
    const b = new DraftBuilder({
      key: `availability.post_burst|${ip}|${h0.path}`, rule: 'availability.post_burst', title: `POST burst to ${h0.path} from ${ip}`,
      description: `${ip} posted to ${h0.path} up to ${peak} times within ${postMs / 1000} s (form abuse, brute force on a login form, or a flood).`,
      category: 'availability', severity: 'medium', details: { peakInWindow: peak, windows: list.length, path: h0.path },
    });
    for (const w of list) {
      requestsFrom(db, h0.ipId, w.bucket * postMs, (w.bucket + 1) * postMs, evidenceIds, post, h0.path).forEach((e) => b.add({ ...e, ip }));
    }
    out.push(b.draft);
  }
  return out;
}

/** Web rules over error-log messages. */
export function scanErrors(db: ReadableDb, set: WebRuleSet, ranges: ReadonlyArray<EvidenceRange>, p: DetectorParams): FindingDraft[] {
  const groups = new Map<string, WebGroup>();
  for (const ev of ranges) {
    for (const [id, message, ts, ip] of iterateErrorRows(db, ev)) {
      if (!errorCandidate(set, message)) {
        continue;
      }
      for (const h of matchWeb(set, { source: 'error', url: null, ua: null, message, status: null })) {
        const key = `${h.rule.id}|${ip ?? '-'}`;
        let g = groups.get(key);
        if (g === undefined) {
          g = new WebGroup(key, h.rule, h.severity, ip);
          groups.set(key, g);
        }
        g.add(id, ts);
        g.hits += 1;
        g.bySeverity[h.severity] = (g.bySeverity[h.severity] ?? 0) + 1;
        if (g.evidence.length < 5) {
          g.evidence.push(h.evidence);
        }
      }
    }
  }
  // Keys of error-log findings must not collide with access-log ones of the same rule and IP.
  return webDrafts(groups, p).map((d) => ({ ...d, key: `${d.key}|error`, title: `${d.title} (error log)` }));
}

export type RunSummary = Readonly<{ findings: number; bySeverity: Record<string, number>; access: AccessScanStats | null; ms: number; notes: string[] }>;

/** Every detector over the case, findings stored (replacing the previous run, keeping reviews). */
export function runDetectors(
  db: WritableDb, input: Partial<DetectorParams> = {}, rules: WebRuleSet = loadWebRules(), now: () => Date = () => new Date(), hooks: DetectorHooks = {},
): RunSummary {
  const started = now().toISOString();
  const { drafts, summary, params } = detectAll(db, input, rules, hooks);
  hooks.between?.('store');
  storeFindings(db, drafts, params, started, now().toISOString(), summary);
  return summary;
}

/** Every detector over the case, nothing written (the CLI on a read-only case without a stored run). */
export function detectAll(
  db: ReadableDb, input: Partial<DetectorParams> = {}, rules: WebRuleSet = loadWebRules(), hooks: DetectorHooks = {},
): { drafts: FindingDraft[]; summary: RunSummary; params: DetectorParams } {
  const t0 = performance.now();
  const p = DetectorParams.parse(input);
  const notes: string[] = [];
  const access = evidenceRanges(db, ['apache_access']);
  const errors = evidenceRanges(db, ['apache_error']);
  const auth = evidenceRanges(db, ['auth', 'syslog']);
  const f2b = evidenceRanges(db, ['fail2ban']);
  const drafts: FindingDraft[] = [];
  let accessStats: AccessScanStats | null = null;
  if (access.length > 0) {
    const r = scanAccess(db, rules, p, access, hooks);
    drafts.push(...r.drafts);
    accessStats = r.stats;
    if (r.stats.rows > 0 && !hasAnyUserAgent(db, access)) {
      notes.push('This case was ingested before user agents were stored: user-agent rules found nothing to test (re-ingest to use them).');
    }
  }
  hooks.between?.('errors');
  drafts.push(...scanErrors(db, rules, errors, p));
  hooks.between?.('auth');
  drafts.push(...detectAuth(authEvents(db, auth), p));
  hooks.between?.('fail2ban');
  const f2bEvents = fail2banEvents(db, f2b);
  drafts.push(...detectFail2ban(f2bEvents));
  // Activity from an address after fail2ban lifted its ban.
  const f2bIds = f2b.map((r) => r.id);
  const returned = new Map<string, DraftBuilder>();
  for (const u of unbans(f2bEvents)) {
    if (u.ip === null || u.ts === null) {
      continue;
    }
    const after = eventsFromIpBetween(db, u.ip, u.ts, u.ts + p.returnAfterBanMinutes * MINUTE, f2bIds);
    if (after.length === 0) {
      continue;
    }
    let b = returned.get(u.ip);
    if (b === undefined) {
      b = new DraftBuilder({
        key: `fail2ban.return_after_ban|${u.ip}`, rule: 'fail2ban.return_after_ban', title: `${u.ip} came back after its fail2ban ban`,
        description: `Activity from ${u.ip} within ${p.returnAfterBanMinutes} min after fail2ban (${u.jail ?? '?'}) unbanned it: the ban did not stop it.`,
        category: 'fail2ban', severity: 'medium', details: { jail: u.jail },
      });
      returned.set(u.ip, b);
    }
    b.add(u);
    after.forEach((e) => b?.add({ ...e, ip: u.ip }));
  }
  drafts.push(...[...returned.values()].map((b) => b.draft));
  drafts.push(...detectSegfaultStorms(errorKindEvents(db, errors, ['apache_child_crash']), p));
  drafts.push(...detectMaxClients(errorKindEvents(db, errors, ['apache_maxclients'])));
  drafts.push(...detectRestartLoops(errorKindEvents(db, errors, ['apache_start', 'apache_restart', 'apache_graceful_restart']), p));

  const bySeverity: Record<string, number> = {};
  for (const d of drafts) {
    bySeverity[d.severity] = (bySeverity[d.severity] ?? 0) + 1;
  }
  const summary = { findings: drafts.length, bySeverity, access: accessStats, ms: Math.round(performance.now() - t0), notes };
  return { drafts, summary, params: p };
}

export type FindingJson = {
  rule: string;
  title: string;
  category: string;
  severity: FindingSeverity;
  first: string | null;
  last: string | null;
  count: number;
  src_ips: string[];
  users: string[];
  review: string;
  sample_events: Array<{ evidence: string; line: number; event_id: number; text: string }>;
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The findings of a case as the CLI prints them (`dossier findings <case> --json`): the stored run
 * when there is one, else the detectors run now without writing (read-only cases from older versions).
 */
export function findingsJson(db: ReadableDb, samples = 3): FindingJson[] {
  const sampleOf = db.prepare('SELECT v.rel_path AS evidence, e.line_no AS line, e.id AS event_id, e.message AS text FROM events e JOIN evidence v ON v.id = e.evidence_id WHERE e.id = ?');
  if (lastRun(db) !== null) {
    return listFindings(db).map((f) => ({
      rule: f.rule, title: f.title, category: f.category, severity: f.severity, first: iso(f.first), last: iso(f.last), count: f.count, src_ips: f.srcIps, users: f.users,
      review: f.review, sample_events: findingEvents(db, f.id, 0, samples).events.map((e) => ({ evidence: e.evidencePath, line: e.lineNo, event_id: e.id, text: e.message })),
    }));
  }
  const { drafts } = detectAll(db);
  return drafts
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.eventIds.length - a.eventIds.length)
    .map((d) => ({
      rule: d.rule, title: d.title, category: d.category, severity: d.severity, first: iso(d.first), last: iso(d.last), count: new Set(d.eventIds).size, src_ips: d.srcIps, users: d.users,
      review: 'unreviewed', sample_events: d.eventIds.slice(0, samples).map((id) => sampleOf.get(id) as { evidence: string; line: number; event_id: number; text: string }),
    }));
}
