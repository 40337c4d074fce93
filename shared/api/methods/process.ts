/**
 * Contract methods of one area: Apache process analysis: UNIQUE_ID, workers, restarts, auth.log correlation (process.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/process.ts;
 * preload allowlist in electron/preload/channels/process.ts.
 */
import { z } from 'zod';
import { RestartsData, WorkersData } from '../../domain/process';
import { method, type MethodSpec } from '../method';

const Ms = z.number().int().min(-8_640_000_000_000).max(8_640_000_000_000);

export const processMethods = {
  /** Worker PIDs over time (down-sampled scatter), per-slot PID lifetimes, counter gaps, UNIQUE_ID clock evidence. */
  'process.workers': method(z.object({ from: Ms.optional(), to: Ms.optional(), maxPoints: z.number().int().min(100).max(50_000).optional() }).strict(), WorkersData),
  /** Restart estimates, auth.log Apache commands matched to them, and the clock offset they suggest. */
  'process.restarts': method(
    z.object({ maxSkewS: z.number().int().min(1).max(86_400).optional(), toleranceS: z.number().int().min(0).max(3600).optional() }).strict(),
    RestartsData,
  ),
} as const satisfies Record<string, MethodSpec>;
