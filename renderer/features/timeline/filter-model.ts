import type { TimelineFilter } from '../../../shared/domain/timeline';
import { compactFilter } from './view-state';
import { formatShortTime } from './zoned-time';

export const SEVERITY_NAMES = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

/** The list fields of a filter that hold strings. */
export type StringListField = 'sourceKinds' | 'hosts' | 'programs' | 'kinds' | 'srcIps' | 'users' | 'methods';
/** Every field an "Add filter" picker can add a value to. */
export type PickerField = StringListField | 'evidenceIds' | 'severities' | 'statuses' | 'pids' | 'tagIds';

export const FIELD_LABELS: Readonly<Record<PickerField, string>> = {
  sourceKinds: 'Source',
  evidenceIds: 'Evidence file',
  hosts: 'Host',
  programs: 'Program',
  kinds: 'Kind',
  severities: 'Severity',
  srcIps: 'Source IP',
  users: 'User',
  statuses: 'HTTP status',
  methods: 'Method',
  pids: 'PID',
  tagIds: 'Tag',
};

export type Chip = Readonly<{
  /** Stable React key and test hook, e.g. "srcIps:10.0.0.0/8". */
  key: string;
  field: keyof TimelineFilter | 'time';
  label: string;
  value: string;
  /** The filter without this chip. */
  remove: (filter: TimelineFilter) => TimelineFilter;
}>;

export type ChipContext = Readonly<{
  zone: string;
  evidenceName: (id: number) => string;
  tagName: (id: number) => string;
}>;

type ListValue = string | number;

function without<T extends ListValue>(list: ReadonlyArray<T> | undefined, value: T): T[] {
  return (list ?? []).filter((v) => v !== value);
}

/** Adds a value to a list field (no duplicates). */
export function addFilterValue(filter: TimelineFilter, field: PickerField, value: string | number): TimelineFilter {
  const current = (filter[field] ?? []) as ReadonlyArray<ListValue>;
  if (current.includes(value)) {
    return filter;
  }
  return { ...filter, [field]: [...current, value] };
}

export function removeFilterValue(filter: TimelineFilter, field: PickerField, value: string | number): TimelineFilter {
  return compactFilter({ ...filter, [field]: without(filter[field] as ReadonlyArray<ListValue> | undefined, value) });
}

function listChips(filter: TimelineFilter, field: PickerField, text: (v: ListValue) => string): Chip[] {
  const values = (filter[field] ?? []) as ReadonlyArray<ListValue>;
  return values.map((v) => ({
    key: `${field}:${String(v)}`,
    field,
    label: FIELD_LABELS[field],
    value: text(v),
    remove: (f: TimelineFilter) => removeFilterValue(f, field, v),
  }));
}

/** One removable chip per active filter value, in a fixed order (time first). */
export function chipsFor(filter: TimelineFilter, ctx: ChipContext): Chip[] {
  const chips: Chip[] = [];
  if (filter.from !== undefined || filter.to !== undefined) {
    const from = filter.from === undefined ? '…' : formatShortTime(filter.from, ctx.zone);
    const to = filter.to === undefined ? '…' : formatShortTime(filter.to, ctx.zone);
    chips.push({ key: 'time', field: 'time', label: 'Time', value: `${from} → ${to}`, remove: (f) => compactFilter({ ...f, from: undefined, to: undefined }) });
  }
  if (filter.text !== undefined && filter.text.trim() !== '') {
    chips.push({ key: 'text', field: 'text', label: 'Search', value: filter.text, remove: (f) => compactFilter({ ...f, text: undefined }) });
  }
  chips.push(...listChips(filter, 'sourceKinds', String));
  chips.push(...listChips(filter, 'evidenceIds', (v) => ctx.evidenceName(Number(v))));
  chips.push(...listChips(filter, 'hosts', String));
  chips.push(...listChips(filter, 'programs', String));
  chips.push(...listChips(filter, 'kinds', String));
  chips.push(...listChips(filter, 'severities', String));
  chips.push(...listChips(filter, 'srcIps', String));
  chips.push(...listChips(filter, 'users', String));
  chips.push(...listChips(filter, 'statuses', String));
  chips.push(...listChips(filter, 'methods', String));
  chips.push(...listChips(filter, 'pids', String));
  chips.push(...listChips(filter, 'tagIds', (v) => ctx.tagName(Number(v))));
  if (filter.tagged === true) {
    chips.push({ key: 'tagged', field: 'tagged', label: 'Only', value: 'tagged', remove: (f) => compactFilter({ ...f, tagged: undefined }) });
  }
  if (filter.starred === true) {
    chips.push({ key: 'starred', field: 'starred', label: 'Only', value: 'starred', remove: (f) => compactFilter({ ...f, starred: undefined }) });
  }
  if (filter.findingId !== undefined) {
    chips.push({ key: 'finding', field: 'findingId', label: 'Finding', value: `#${filter.findingId}`, remove: (f) => compactFilter({ ...f, findingId: undefined }) });
  }
  if (filter.includeUntimed === true) {
    chips.push({ key: 'includeUntimed', field: 'includeUntimed', label: 'With', value: 'lines without time', remove: (f) => compactFilter({ ...f, includeUntimed: undefined }) });
  }
  return chips;
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/u;
const IPV6 = /^[0-9a-f:.]+$/iu;

/**
 * A light look at a source-IP filter before it is sent: an IPv4/IPv6 address or CIDR range. The
 * back end validates for real; this only catches typos early. Returns a message, or null when fine.
 */
export function checkIpInput(text: string): string | null {
  const value = text.trim();
  if (value === '') {
    return 'Enter an IP address or a CIDR range such as 10.0.0.0/8.';
  }
  const [addr = '', bits, ...rest] = value.split('/');
  if (rest.length > 0) {
    return `"${value}" has more than one "/".`;
  }
  const v4 = IPV4.test(addr);
  const v6 = !v4 && addr.includes(':') && IPV6.test(addr);
  if (!v4 && !v6) {
    return `"${value}" does not look like an IP address or CIDR range.`;
  }
  if (v4 && addr.split('.').some((o) => Number(o) > 255)) {
    return `"${value}" has an octet above 255.`;
  }
  if (bits !== undefined) {
    const max = v4 ? 32 : 128;
    if (!/^\d{1,3}$/u.test(bits) || Number(bits) > max) {
      return `The prefix length of "${value}" must be 0–${max}.`;
    }
  }
  return null;
}

/** "404" → 404, "4xx"/"4XX" → "4xx"; null when it is neither. */
export function parseStatusInput(text: string): number | string | null {
  const value = text.trim().toLowerCase();
  if (/^[1-5]xx$/u.test(value)) {
    return value;
  }
  if (/^\d{3}$/u.test(value) && Number(value) >= 100) {
    return Number(value);
  }
  return null;
}

/** A positive whole number, or null. */
export function parsePidInput(text: string): number | null {
  const value = text.trim();
  return /^\d{1,10}$/u.test(value) ? Number(value) : null;
}

/** The filter without one field (facet suggestions count the other constraints, not the field's own values). */
export function withoutField(filter: TimelineFilter, field: PickerField): TimelineFilter {
  return compactFilter({ ...filter, [field]: undefined });
}
