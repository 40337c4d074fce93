import type { FindingCategory, FindingSeverity } from '../../../shared/domain/findings';

/** What a detector produces; the store gives it an id and keeps the analyst's review by `key`. */
export type FindingDraft = {
  /** Stable identity across runs: the rule plus its grouping (e.g. `ssh.bruteforce|203.0.113.9`). */
  key: string;
  rule: string;
  title: string;
  description: string;
  category: FindingCategory;
  severity: FindingSeverity;
  first: number | null;
  last: number | null;
  eventIds: number[];
  srcIps: string[];
  users: string[];
  details: Record<string, unknown>;
};

export const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function maxSeverity(a: FindingSeverity, b: FindingSeverity): FindingSeverity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** A small event record, as the detectors' queries stream them (time order). */
export type DetEvent = Readonly<{
  id: number;
  ts: number | null;
  kind: string;
  ip: string | null;
  user: string | null;
}>;

/** Accumulates events into one draft. */
export class DraftBuilder {
  readonly draft: FindingDraft;
  readonly #ips = new Set<string>();
  readonly #users = new Set<string>();

  constructor(init: Omit<FindingDraft, 'first' | 'last' | 'eventIds' | 'srcIps' | 'users' | 'details'> & { details?: Record<string, unknown> }) {
    this.draft = { ...init, first: null, last: null, eventIds: [], srcIps: [], users: [], details: init.details ?? {} };
  }

  add(e: Readonly<{ id: number; ts: number | null; ip?: string | null; user?: string | null }>): this {
    const d = this.draft;
    d.eventIds.push(e.id);
    if (e.ts !== null) {
      d.first = d.first === null || e.ts < d.first ? e.ts : d.first;
      d.last = d.last === null || e.ts > d.last ? e.ts : d.last;
    }
    if (e.ip !== undefined && e.ip !== null && !this.#ips.has(e.ip)) {
      this.#ips.add(e.ip);
      d.srcIps.push(e.ip);
    }
    if (e.user !== undefined && e.user !== null && e.user !== '' && !this.#users.has(e.user)) {
      this.#users.add(e.user);
      d.users.push(e.user);
    }
    return this;
  }
}

export function fmtCount(n: number, word: string): string {
  // English plurals of the nouns the detectors count: "addresses", "crashes", not "addresss", "crashs".
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : /(?:[sxz]|[sc]h)$/u.test(word) ? 'es' : 's'}`;
}
