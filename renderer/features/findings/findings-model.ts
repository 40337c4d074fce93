import type { FindingCategory, FindingReview, FindingSeverity } from '../../../shared/domain/findings';

export const SEVERITY_ORDER: ReadonlyArray<FindingSeverity> = ['critical', 'high', 'medium', 'low', 'info'];

export const CATEGORY_LABEL: Readonly<Record<FindingCategory, string>> = {
  web_attack: 'Web attacks',
  brute_force: 'Brute force',
  account: 'Accounts',
  fail2ban: 'fail2ban',
  availability: 'Availability',
  crash: 'Crashes',
  host_state: 'Host state',
};

export const REVIEW_LABEL: Readonly<Record<FindingReview, string>> = { unreviewed: 'Unreviewed', confirmed: 'Confirmed', false_positive: 'False positive' };

export function severityIntent(s: FindingSeverity): 'danger' | 'warning' | 'primary' | 'none' {
  return s === 'critical' || s === 'high' ? 'danger' : s === 'medium' ? 'warning' : s === 'low' ? 'primary' : 'none';
}

/** Groups items by category (in a fixed order), most severe first inside each group. */
export function groupByCategory<T extends { category: FindingCategory; severity: FindingSeverity; count: number }>(items: ReadonlyArray<T>): Array<[FindingCategory, T[]]> {
  const order = Object.keys(CATEGORY_LABEL) as FindingCategory[];
  const groups = new Map<FindingCategory, T[]>();
  for (const it of items) {
    groups.set(it.category, [...(groups.get(it.category) ?? []), it]);
  }
  return order
    .filter((c) => groups.has(c))
    .map((c) => [c, (groups.get(c) ?? []).sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.count - a.count)]);
}

/** A short list: the first few values and "+N". */
export function shortList(values: ReadonlyArray<string>, n = 3): string {
  if (values.length === 0) {
    return '—';
  }
  return values.length <= n ? values.join(', ') : `${values.slice(0, n).join(', ')} +${values.length - n}`;
}
