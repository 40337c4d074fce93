import { z } from 'zod';

/** IANA zone names are validated by the back end (Intl); here only their shape. */
export const TimeZoneName = z.string().min(1).max(64).regex(/^[\w+\-/]+$/u, 'not a time zone name');

export const CaseMetaFields = z.object({
  name: z.string().trim().min(1, 'a case needs a name').max(200),
  number: z.string().trim().max(100).default(''),
  examiner: z.string().trim().max(200).default(''),
  description: z.string().max(20_000).default(''),
  timeZone: TimeZoneName.default('UTC'),
  classification: z.string().trim().max(100).default(''),
});
export type CaseMetaFields = z.infer<typeof CaseMetaFields>;

/** A change to some metadata fields: no defaults, so a field that is not sent is not touched. */
export const CaseMetaPatch = z
  .object({
    name: z.string().trim().min(1, 'a case needs a name').max(200),
    number: z.string().trim().max(100),
    examiner: z.string().trim().max(200),
    description: z.string().max(20_000),
    timeZone: TimeZoneName,
    classification: z.string().trim().max(100),
  })
  .partial()
  .strict();
export type CaseMetaPatch = z.infer<typeof CaseMetaPatch>;

export const CaseSummary = z.object({
  path: z.string(),
  name: z.string(),
  number: z.string(),
  examiner: z.string(),
  description: z.string(),
  timeZone: z.string(),
  classification: z.string(),
  createdUtc: z.string(),
  modifiedUtc: z.string(),
  schemaVersion: z.number().int(),
  appVersion: z.string(),
  readOnly: z.boolean(),
  /** 'checking' while the background integrity check of a large case runs; 'damaged' if it failed. */
  integrity: z.enum(['ok', 'checking', 'damaged']),
  integrityDetail: z.string().nullable(),
  counts: z.object({ evidence: z.number().int(), events: z.number().int(), auditEntries: z.number().int() }),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const RecentCase = z.object({
  path: z.string(),
  name: z.string(),
  openedUtc: z.string(),
  exists: z.boolean(),
});
export type RecentCase = z.infer<typeof RecentCase>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  atUtc: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  details: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  length: z.number().int(),
  headHash: z.string(),
  /** seq of the first entry whose hash or link does not verify; null when the chain holds. */
  brokenAt: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
