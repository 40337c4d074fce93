import { z } from 'zod';

const Strings = z.array(z.string().max(1000)).max(200);

/** What the timeline shows: every field filter is an OR within the field and an AND across fields. */
export const TimelineFilter = z
  .object({
    /** UTC milliseconds, inclusive start and exclusive end. */
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    sourceKinds: Strings.optional(),
    evidenceIds: z.array(z.number().int()).max(1000).optional(),
    hosts: Strings.optional(),
    programs: Strings.optional(),
    kinds: Strings.optional(),
    severities: z.array(z.enum(['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'])).optional(),
    /** IP addresses or CIDR ranges (IPv4 or IPv6), e.g. `10.0.0.0/8`. */
    srcIps: Strings.optional(),
    users: Strings.optional(),
    /** HTTP status codes, or classes such as `4xx`. */
    statuses: z.array(z.union([z.number().int().min(100).max(999), z.string().regex(/^[1-5]xx$/u)])).max(50).optional(),
    methods: Strings.optional(),
    pids: z.array(z.number().int()).max(200).optional(),
    /** Full-text query over messages: words, "phrases", prefix*, AND / OR / NOT. */
    text: z.string().max(2000).optional(),
    tagIds: z.array(z.number().int()).max(100).optional(),
    tagged: z.boolean().optional(),
    starred: z.boolean().optional(),
    /** Include lines without a time (they sort after the timed ones). */
    includeUntimed: z.boolean().optional(),
    /** Only the events that triggered this finding (issue 8). */
    findingId: z.number().int().min(1).optional(),
  })
  .strict();
export type TimelineFilter = z.infer<typeof TimelineFilter>;

export const Cursor = z.object({ ts: z.number().nullable(), id: z.number().int() }).strict();
export type Cursor = z.infer<typeof Cursor>;

export const TimelineRow = z.object({
  id: z.number(),
  ts: z.number().nullable(),
  evidenceId: z.number(),
  evidencePath: z.string(),
  sourceKind: z.string(),
  lineNo: z.number(),
  kind: z.string(),
  severity: z.string().nullable(),
  host: z.string().nullable(),
  program: z.string().nullable(),
  pid: z.number().nullable(),
  srcIp: z.string().nullable(),
  user: z.string().nullable(),
  method: z.string().nullable(),
  path: z.string().nullable(),
  status: z.number().nullable(),
  message: z.string(),
  flags: z.number(),
  tagIds: z.array(z.number()),
  starred: z.boolean(),
  comments: z.number(),
});
export type TimelineRow = z.infer<typeof TimelineRow>;

export const TimelinePage = z.object({
  rows: z.array(TimelineRow),
  /** Cursor of the last row (for the next page) and of the first (for the previous one). */
  next: Cursor.nullable(),
  prev: Cursor.nullable(),
  searchComplete: z.boolean(),
  elapsedMs: z.number(),
});
export type TimelinePage = z.infer<typeof TimelinePage>;

export const HistogramRequest = z
  .object({
    filter: TimelineFilter,
    /** Wanted number of buckets; the bucket size is rounded to a calendar-friendly unit. */
    buckets: z.number().int().min(10).max(2000).default(120),
    groupBy: z.enum(['sourceKind', 'severity']).default('sourceKind'),
    /** Display zone: buckets of an hour or more start on its hours and midnights (UTC when absent). */
    zone: z.string().max(64).optional(),
  })
  .strict();

export const Histogram = z.object({
  from: z.number().nullable(),
  to: z.number().nullable(),
  bucketMs: z.number(),
  bucketLabel: z.string(),
  starts: z.array(z.number()),
  series: z.array(z.object({ key: z.string(), counts: z.array(z.number()) })),
  total: z.number(),
  /** Bucket starts holding tagged or starred events (markers). */
  marked: z.array(z.number()),
  source: z.enum(['rollup', 'events']),
  elapsedMs: z.number(),
});
export type Histogram = z.infer<typeof Histogram>;

export const EventDetail = z.object({
  row: TimelineRow,
  raw: z.object({ text: z.string(), validUtf8: z.boolean(), escaped: z.string(), bytes: z.number() }).nullable(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  provenance: z.object({
    evidencePath: z.string(),
    rootPath: z.string(),
    lineNo: z.number(),
    byteOffset: z.number(),
    sha256: z.string().nullable(),
    parser: z.string(),
    timeText: z.string().nullable(),
    timeZone: z.string().nullable(),
    tzOffsetMinutes: z.number().nullable(),
    clockOffsetMs: z.number(),
    yearReason: z.string().nullable(),
    timeFlags: z.array(z.string()),
  }),
  tags: z.array(z.object({ id: z.number(), name: z.string(), color: z.string() })),
  comments: z.array(z.object({ id: z.number(), body: z.string(), author: z.string(), createdUtc: z.string(), updatedUtc: z.string() })),
});
export type EventDetail = z.infer<typeof EventDetail>;

export const ContextLines = z.object({
  evidenceId: z.number(),
  evidencePath: z.string(),
  lines: z.array(z.object({ lineNo: z.number(), text: z.string(), validUtf8: z.boolean(), eventId: z.number().nullable() })),
});
export type ContextLines = z.infer<typeof ContextLines>;

export const Tag = z.object({ id: z.number(), name: z.string(), color: z.string(), count: z.number() });
export type Tag = z.infer<typeof Tag>;

export const SavedView = z.object({ id: z.number(), name: z.string(), state: z.string(), createdUtc: z.string(), updatedUtc: z.string() });
export type SavedView = z.infer<typeof SavedView>;

export const FacetValues = z.object({ field: z.string(), values: z.array(z.object({ value: z.string(), count: z.number() })) });
