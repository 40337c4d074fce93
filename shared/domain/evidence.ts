import { z } from 'zod';
import { TimeZoneName } from './case';

export const FormatIdSchema = z.enum(['apache_access', 'apache_access_custom', 'apache_error', 'auth', 'syslog', 'fail2ban', 'text', 'server_status', 'netstat', 'ps', 'top', 'strace', 'hash_manifest', 'bodyfile']);

export const FileSettings = z
  .object({
    format: FormatIdSchema.optional(),
    logFormat: z.string().max(2000).optional(),
    timeZone: TimeZoneName.optional(),
    clockOffsetMs: z.number().int().min(-10 * 365 * 86_400_000).max(10 * 365 * 86_400_000).optional(),
    year: z.number().int().min(1970).max(2100).optional(),
  })
  .strict();
export type FileSettings = z.infer<typeof FileSettings>;

export const ScannedFile = z.object({
  path: z.string(),
  size: z.number(),
  mtimeUtc: z.string().nullable(),
  kind: z.string(),
  container: z.string(),
  format: z.string(),
  confidence: z.number(),
  reason: z.string(),
  uacArea: z.string().nullable(),
  alreadyInCase: z.boolean(),
});
export type ScannedFile = z.infer<typeof ScannedFile>;

export const ScanResult = z.object({
  root: z.string(),
  files: z.array(ScannedFile),
  totalBytes: z.number(),
  uac: z.boolean(),
});
export type ScanResult = z.infer<typeof ScanResult>;

export const IngestProgress = z.object({
  phase: z.enum(['scanning', 'reading', 'finishing', 'indexing', 'done']),
  filesTotal: z.number(),
  filesDone: z.number(),
  bytesTotal: z.number(),
  bytesDone: z.number(),
  lines: z.number(),
  linesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  currentFile: z.string().nullable(),
  elapsedMs: z.number(),
});
export type IngestProgress = z.infer<typeof IngestProgress>;

export const EvidenceSummary = z.object({
  id: z.number().nullable(),
  path: z.string(),
  outcome: z.string(),
  status: z.string(),
  format: z.string(),
  sha256: z.string().nullable(),
  md5: z.string().nullable(),
  lines: z.number(),
  events: z.number(),
  rawOnly: z.number(),
  first: z.string().nullable(),
  last: z.string().nullable(),
  detail: z.string(),
});

export const IngestSummary = z.object({
  ingestId: z.number(),
  status: z.enum(['complete', 'cancelled', 'failed']),
  root: z.string(),
  elapsedMs: z.number(),
  lines: z.number(),
  bytes: z.number(),
  evidence: z.array(EvidenceSummary),
  unchanged: z.number(),
  uac: z.boolean(),
});
export type IngestSummary = z.infer<typeof IngestSummary>;

export const IngestStatus = z.object({
  running: z.boolean(),
  root: z.string().nullable(),
  progress: IngestProgress.nullable(),
  last: IngestSummary.nullable(),
  error: z.string().nullable(),
  fullText: z.object({ indexed: z.number(), total: z.number(), complete: z.boolean(), building: z.boolean() }),
});
export type IngestStatus = z.infer<typeof IngestStatus>;

export const EvidenceItem = z.object({
  id: z.number(),
  path: z.string(),
  rootPath: z.string(),
  container: z.string(),
  size: z.number(),
  contentSize: z.number().nullable(),
  mtimeUtc: z.string().nullable(),
  sha256: z.string().nullable(),
  md5: z.string().nullable(),
  contentSha256: z.string().nullable(),
  format: z.string(),
  formatConfidence: z.number(),
  formatSource: z.string(),
  sourceKind: z.string(),
  parser: z.string(),
  outcome: z.string(),
  outcomeDetail: z.string(),
  status: z.string(),
  lines: z.number(),
  events: z.number(),
  rawOnly: z.number(),
  invalidUtf8: z.number(),
  oversized: z.number(),
  untimed: z.number(),
  firstUtc: z.string().nullable(),
  lastUtc: z.string().nullable(),
  timeZone: z.string(),
  clockOffsetMs: z.number(),
  yearBase: z.number().nullable(),
  yearReason: z.string().nullable(),
  uacArea: z.string().nullable(),
  originalPath: z.string().nullable(),
  version: z.number(),
  supersedes: z.number().nullable(),
  addedUtc: z.string(),
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const EvidenceUpdate = z
  .object({
    id: z.number().int().positive(),
    timeZone: TimeZoneName.optional(),
    clockOffsetMs: z.number().int().min(-10 * 365 * 86_400_000).max(10 * 365 * 86_400_000).optional(),
    year: z.number().int().min(1970).max(2100).optional(),
  })
  .strict();
export type EvidenceUpdate = z.infer<typeof EvidenceUpdate>;
