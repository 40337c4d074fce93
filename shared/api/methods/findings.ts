/**
 * Contract methods of one area: Findings, detectors and the pivot pages (findings.*, pivot.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/findings.ts;
 * preload allowlist in electron/preload/channels/findings.ts.
 */
import { z } from 'zod';
import { DetectorParams, Finding, FindingCategory, FindingEvent, FindingReview, FindingSeverity } from '../../domain/findings';
import { method, type MethodSpec } from '../method';

/** A finding as listed: the shared shape plus where its evidence snippets are. */
export const FindingListItem = Finding.extend({ evidence: z.array(z.string()) });
export type FindingListItem = z.infer<typeof FindingListItem>;

export const RuleInfo = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  severity: FindingSeverity,
  status: z.record(z.string(), FindingSeverity),
  fields: z.array(z.string()),
});
export type RuleInfo = z.infer<typeof RuleInfo>;

export const RunInfo = z.object({
  startedUtc: z.string(),
  finishedUtc: z.string().nullable(),
  params: z.unknown(),
  summary: z.unknown(),
});

export const findingsMethods = {
  'findings.list': method(
    z
      .object({
        categories: z.array(FindingCategory).max(20).optional(),
        severities: z.array(FindingSeverity).max(10).optional(),
        reviews: z.array(FindingReview).max(5).optional(),
      })
      .strict(),
    z.object({ findings: z.array(FindingListItem), run: RunInfo.nullable() }),
  ),
  'findings.get': method(
    z.object({ id: z.number().int().min(1), offset: z.number().int().min(0).max(100_000_000).default(0), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    z.object({ finding: FindingListItem, total: z.number().int(), events: z.array(FindingEvent) }),
  ),
  'findings.review': method(
    z.object({ id: z.number().int().min(1), review: FindingReview, comment: z.string().max(10_000).default('') }).strict(),
    FindingListItem,
  ),
  'findings.run': method(
    z.object({ params: DetectorParams.partial().optional() }).strict(),
    z.object({ findings: z.number().int(), bySeverity: z.record(z.string(), z.number()), ms: z.number(), notes: z.array(z.string()) }),
  ),
  'findings.rules': method(z.object({}).strict(), z.object({ rules: z.array(RuleInfo), params: DetectorParams, defaults: DetectorParams })),
} as const satisfies Record<string, MethodSpec>;
