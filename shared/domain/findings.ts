/**
 * Detector findings (issue 8), as both sides see them. The report (issue 9) and hypotheses (issue 5)
 * read these same shapes: fields may be added, never renamed or removed.
 */
import { z } from 'zod';

export const FindingSeverity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
export type FindingSeverity = z.infer<typeof FindingSeverity>;

export const FindingCategory = z.enum(['web_attack', 'brute_force', 'account', 'fail2ban', 'availability', 'crash', 'host_state']);
export type FindingCategory = z.infer<typeof FindingCategory>;

export const FindingReview = z.enum(['unreviewed', 'confirmed', 'false_positive']);
export type FindingReview = z.infer<typeof FindingReview>;

export const Finding = z.object({
  id: z.number().int(),
  /** The rule or detector id, e.g. `web.traversal` or `ssh.bruteforce_success`. */
  rule: z.string(),
  title: z.string(),
  description: z.string(),
  category: FindingCategory,
  severity: FindingSeverity,
  /** UTC ms of the first and last triggering event. */
  first: z.number().nullable(),
  last: z.number().nullable(),
  count: z.number().int(),
  srcIps: z.array(z.string()),
  users: z.array(z.string()),
  review: FindingReview,
  reviewComment: z.string(),
  /** A few triggering event ids (all of them are listed by the findings API). */
  sampleEventIds: z.array(z.number().int()),
});
export type Finding = z.infer<typeof Finding>;
