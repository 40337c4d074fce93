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

/** Tunable parameters of the detectors (every field optional on input; defaults below). */
export const DetectorParams = z
  .object({
    /** SSH: sliding window for counting failures, and the thresholds. */
    sshWindowMinutes: z.number().int().min(1).max(10_080).default(10),
    sshBruteForceFailures: z.number().int().min(2).max(1_000_000).default(10),
    sshSprayUsers: z.number().int().min(2).max(100_000).default(5),
    sshUserTargetIps: z.number().int().min(2).max(100_000).default(5),
    /** A success from an IP with at least this many failures in the look-back = likely compromise. */
    sshSuccessAfterFailures: z.number().int().min(1).max(1_000_000).default(5),
    sshSuccessLookbackMinutes: z.number().int().min(1).max(100_000).default(60),
    /** sudo by a user who ran sudo at most this many times in the case. */
    sudoRareMax: z.number().int().min(0).max(1000).default(2),
    /** Requests per minute from one IP / one /24 that make a flood. */
    ipRequestsPerMinute: z.number().int().min(10).max(10_000_000).default(300),
    subnetRequestsPerMinute: z.number().int().min(10).max(10_000_000).default(1000),
    /** Segfaults per minute that make a storm. */
    segfaultsPerMinute: z.number().int().min(1).max(1_000_000).default(10),
    /** Server (re)starts within the window that make a restart loop. */
    restartCount: z.number().int().min(2).max(100_000).default(5),
    restartWindowMinutes: z.number().int().min(1).max(100_000).default(60),
    /** POSTs to one URL from one client within the window that make a burst. */
    postBurstCount: z.number().int().min(2).max(1_000_000).default(30),
    postBurstWindowSeconds: z.number().int().min(1).max(86_400).default(60),
    /** Activity from an IP within this time after fail2ban unbanned it. */
    returnAfterBanMinutes: z.number().int().min(1).max(100_000).default(1440),
    /** Web rules: one finding per (rule, IP) up to this many per rule; the rest (below high) are merged. */
    webMaxFindingsPerRule: z.number().int().min(1).max(10_000).default(25),
  })
  .strict();
export type DetectorParams = z.infer<typeof DetectorParams>;
export const DEFAULT_DETECTOR_PARAMS: DetectorParams = DetectorParams.parse({});

/** One triggering event of a finding, as the findings API lists them. */
export const FindingEvent = z.object({
  id: z.number().int(),
  ts: z.number().nullable(),
  evidencePath: z.string(),
  lineNo: z.number().int(),
  srcIp: z.string().nullable(),
  user: z.string().nullable(),
  message: z.string(),
});
export type FindingEvent = z.infer<typeof FindingEvent>;
