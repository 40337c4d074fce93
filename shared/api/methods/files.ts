/**
 * Contract methods of one area: files and processes — hash manifests, Sleuth Kit bodyfiles and strace (files.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/files.ts;
 * preload allowlist in electron/preload/channels/files.ts.
 */
import { z } from 'zod';
import { FileActivity, FileChanges, StraceSummary } from '../../domain/files';
import { method, type MethodSpec } from '../method';

const EvidenceId = z.number().int().positive();
const Ms = z.number().int().min(-62_135_596_800_000).max(253_402_300_799_999);

export const filesMethods = {
  /** Baseline vs current hash manifest (picked automatically unless given) and the manifest vs a bodyfile. */
  'files.changes': method(
    z
      .object({
        baselineId: EvidenceId.optional(),
        currentId: EvidenceId.optional(),
        bodyfileId: EvidenceId.optional(),
        /** When the baseline was taken, if the manifest's file time is not to be trusted (copied, checked out). */
        baselineTimeMs: Ms.optional(),
      })
      .strict(),
    FileChanges,
  ),
  /** Bodyfile events within ±window of a time (a restart, by default the latest one with file activity around it). */
  'files.activity': method(
    z
      .object({
        at: Ms.optional(),
        windowMs: z.number().int().min(1000).max(30 * 86_400_000).default(3_600_000),
        pathContains: z.string().max(500).optional(),
        buckets: z.number().int().min(4).max(240).default(24),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    FileActivity,
  ),
  /** strace per PID: syscalls, signals, kills, exit; linked to the error log's child exits. */
  'files.strace': method(z.object({ limit: z.number().int().min(1).max(2000).default(200) }).strict(), StraceSummary),
} as const satisfies Record<string, MethodSpec>;
