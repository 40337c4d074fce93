/**
 * The one contract between the UI and the back end. Every call is declared here once, with zod
 * schemas for its input and output. The Electron IPC transport, the loopback HTTP transport, the
 * renderer client and the tests all derive from this table, so they cannot drift.
 *
 * Naming: `domain.verb` for calls, `domain.onThing` for events. The key is also the IPC channel and
 * the HTTP path (`POST /rpc/<key>`).
 */
import { z } from 'zod';
import { AuditEntry, AuditVerification, CaseMetaFields, CaseMetaPatch, CaseSummary, RecentCase, TimeZoneName } from '../domain/case';
import { ContextLines, Cursor, EventDetail, FacetValues, Histogram, HistogramRequest, SavedView, Tag, TimelineFilter, TimelinePage } from '../domain/timeline';
import { EvidenceItem, EvidenceUpdate, FileSettings, FormatIdSchema, IngestProgress, IngestStatus, IngestSummary, ScanResult } from '../domain/evidence';

import { method } from './method';
import { filesMethods } from './methods/files';
import { findingsMethods } from './methods/findings';
import { hostStateMethods } from './methods/hoststate';
import { hypothesesMethods } from './methods/hypotheses';
import { pivotMethods } from './methods/pivot';
import { processMethods } from './methods/process';
import { reportsMethods } from './methods/reports';

const NoInput = z.object({}).strict();
const FilePath = z.string().min(1).max(4096);

export const AppInfo = z.object({
  version: z.string(),
  transport: z.enum(['electron', 'http']),
  platform: z.string(),
  /** True when the back end can show native open/save dialogs (Electron); false in browser mode. */
  nativeDialogs: z.boolean(),
  sampleCaseAvailable: z.boolean(),
  defaultCaseDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const DialogResult = z.object({ path: z.string().nullable() });

export const contract = {
  'app.info': method(NoInput, AppInfo),

  'cases.create': method(CaseMetaFields.extend({ path: FilePath }).strict(), CaseSummary),
  'cases.open': method(z.object({ path: FilePath }).strict(), CaseSummary),
  'cases.openSample': method(NoInput, CaseSummary),
  'cases.current': method(NoInput, CaseSummary.nullable()),
  'cases.close': method(NoInput, z.object({ closed: z.boolean() })),
  'cases.updateMeta': method(CaseMetaPatch, CaseSummary),
  'cases.saveAs': method(z.object({ path: FilePath }).strict(), CaseSummary),
  'cases.recent': method(NoInput, z.array(RecentCase)),
  'cases.forgetRecent': method(z.object({ path: FilePath }).strict(), z.array(RecentCase)),
  'cases.listTimeZones': method(NoInput, z.array(z.string())),

  'audit.list': method(
    z.object({ limit: z.number().int().min(1).max(1000).default(200), beforeSeq: z.number().int().positive().optional() }).strict(),
    z.object({ entries: z.array(AuditEntry), total: z.number().int() }),
  ),
  'audit.verify': method(NoInput, AuditVerification),

  'ingest.scan': method(z.object({ folder: FilePath }).strict(), ScanResult),
  'ingest.start': method(
    z.object({ folder: FilePath, timeZone: TimeZoneName.optional(), files: z.record(z.string().max(4096), FileSettings).optional() }).strict(),
    z.object({ started: z.boolean() }),
  ),
  'ingest.cancel': method(NoInput, z.object({ cancelled: z.boolean() })),
  'ingest.status': method(NoInput, IngestStatus),
  'ingest.formats': method(NoInput, z.array(z.object({ id: FormatIdSchema, label: z.string(), sourceKind: z.string() }))),

  'evidence.list': method(NoInput, z.array(EvidenceItem)),
  'evidence.update': method(EvidenceUpdate, EvidenceItem),

  'timeline.page': method(
    z.object({ filter: TimelineFilter, after: Cursor.optional(), before: Cursor.optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    TimelinePage,
  ),
  'timeline.histogram': method(HistogramRequest, Histogram),
  'timeline.facet': method(
    z.object({ filter: TimelineFilter, field: z.enum(['host', 'program', 'kind', 'user', 'method', 'src_ip', 'status']), limit: z.number().int().min(1).max(500).default(50) }).strict(),
    FacetValues,
  ),
  'events.detail': method(z.object({ id: z.number().int().positive() }).strict(), EventDetail),
  'events.context': method(
    z.object({ id: z.number().int().positive(), before: z.number().int().min(0).max(500).default(10), after: z.number().int().min(0).max(500).default(10) }).strict(),
    ContextLines,
  ),
  'events.tag': method(
    z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000), tag: z.string().trim().min(1).max(64), color: z.string().regex(/^#[0-9a-f]{6}$/iu).optional(), on: z.boolean().default(true) }).strict(),
    z.array(Tag),
  ),
  'events.star': method(z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000), on: z.boolean() }).strict(), z.object({ changed: z.number() })),
  'events.comment': method(z.object({ id: z.number().int().positive(), body: z.string().trim().min(1).max(20_000) }).strict(), EventDetail.shape.comments),
  'timeline.export': method(
    z.object({ filter: TimelineFilter, format: z.enum(['csv', 'jsonl']), path: FilePath }).strict(),
    z.object({ path: z.string(), rows: z.number() }),
  ),
  'tags.list': method(NoInput, z.array(Tag)),
  'views.list': method(NoInput, z.array(SavedView)),
  /** Saves a view under a name; a view of the same name is replaced. */
  'views.save': method(z.object({ name: z.string().trim().min(1).max(120), state: z.string().max(100_000) }).strict(), z.array(SavedView)),
  'views.delete': method(z.object({ id: z.number().int().positive() }).strict(), z.array(SavedView)),

  'dialog.openCase': method(NoInput, DialogResult),
  'dialog.saveCase': method(z.object({ suggestedName: z.string().max(200).optional() }).strict(), DialogResult),
  'dialog.pickFolder': method(NoInput, DialogResult),
  'dialog.saveExport': method(z.object({ suggestedName: z.string().max(200), format: z.enum(['csv', 'jsonl', 'pdf', 'html', 'json']) }).strict(), DialogResult),

  // the analysis areas, one file each (shared/api/methods/)
  ...hypothesesMethods,
  ...processMethods,
  ...hostStateMethods,
  ...findingsMethods,
  ...pivotMethods,
  ...filesMethods,
  ...reportsMethods,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

/** The API as the renderer sees it: one async function per contract method. */
export type Api = { readonly [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>> };

/** What the back end implements: handlers receive already-validated input. */
export type Handlers = { readonly [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M> };

export const METHOD_NAMES = Object.keys(contract) as ReadonlyArray<MethodName>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Events pushed from the back end to the UI. */
export const events = {
  'cases.onChanged': CaseSummary.nullable(),
  'cases.onIntegrity': z.object({ path: z.string(), ok: z.boolean(), detail: z.string() }),
  'ingest.onProgress': IngestProgress,
  'ingest.onDone': IngestSummary.extend({ error: z.string().nullable() }),
  /** A native menu item was chosen (Electron only): the renderer runs the matching flow. */
  'menu.onCommand': z.object({ command: z.enum(['new-case', 'open-case', 'open-recent', 'save-as', 'close-case']), path: z.string().optional() }),
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as ReadonlyArray<EventName>;

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
