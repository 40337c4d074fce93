import { z } from 'zod';
import { TimelineFilter } from '../../../shared/domain/timeline';
import type { ZoneMode } from './zoned-time';

/** What the histogram stacks by. */
export type GroupBy = 'sourceKind' | 'severity';

/** The analyst's table layout: which columns, in which width. */
export type ColumnPrefs = Readonly<{ visible: ReadonlyArray<string>; sizes: Readonly<Record<string, number>> }>;

/**
 * Everything that makes a timeline view: saved views store it (`views.save` state), the URL hash
 * mirrors it (`#/timeline?v=<base64url json>`), so a reload or a saved view brings it back.
 */
export type ViewState = Readonly<{
  filter: TimelineFilter;
  zone: ZoneMode;
  groupBy: GroupBy;
  columns?: ColumnPrefs;
}>;

const ViewStateSchema = z.object({
  v: z.literal(1),
  filter: TimelineFilter,
  zone: z.enum(['case', 'utc', 'local']).catch('case'),
  groupBy: z.enum(['sourceKind', 'severity']).catch('sourceKind'),
  columns: z
    .object({
      visible: z.array(z.string().max(40)).max(40),
      sizes: z.record(z.string().max(40), z.number().min(20).max(4000)),
    })
    .optional()
    .catch(undefined),
});

export const DEFAULT_VIEW: ViewState = { filter: {}, zone: 'case', groupBy: 'sourceKind' };

const HASH_PREFIX = '#/timeline';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary).replace(/\+/gu, '-').replace(/\//gu, '_').replace(/=+$/u, '');
}

function fromBase64Url(text: string): string | null {
  try {
    const b64 = text.replace(/-/gu, '+').replace(/_/gu, '/');
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Drops empty lists and unset flags, so equal views serialise equally. */
export function compactFilter(filter: TimelineFilter): TimelineFilter {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0) || (typeof value === 'string' && value.trim() === '')) {
      continue;
    }
    out[key] = value;
  }
  return out as TimelineFilter;
}

/** The JSON stored by `views.save`. */
export function serializeViewState(state: ViewState): string {
  return JSON.stringify({ v: 1, filter: compactFilter(state.filter), zone: state.zone, groupBy: state.groupBy, ...(state.columns === undefined ? {} : { columns: state.columns }) });
}

/** A stored view back into state; null when it is not one (another version, or edited by hand). */
export function parseViewState(json: string): ViewState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = ViewStateSchema.safeParse(raw);
  if (!parsed.success) {
    return null;
  }
  const { filter, zone, groupBy, columns } = parsed.data;
  return { filter: compactFilter(filter), zone, groupBy, ...(columns === undefined ? {} : { columns }) };
}

/** `#/timeline?v=…` for a state (columns stay out of the URL: they are kept per case). */
export function hashForState(state: ViewState): string {
  return `${HASH_PREFIX}?v=${toBase64Url(serializeViewState({ filter: state.filter, zone: state.zone, groupBy: state.groupBy }))}`;
}

export function isTimelineHash(hash: string): boolean {
  return hash === HASH_PREFIX || hash.startsWith(`${HASH_PREFIX}?`);
}

/** The state in a `#/timeline?v=…` hash, or null. */
export function stateFromHash(hash: string): ViewState | null {
  if (!isTimelineHash(hash)) {
    return null;
  }
  const query = new URLSearchParams(hash.slice(HASH_PREFIX.length + 1));
  const v = query.get('v');
  if (v === null) {
    return null;
  }
  const json = fromBase64Url(v);
  return json === null ? null : parseViewState(json);
}
