/**
 * Contract methods of one area: Apache process analysis: UNIQUE_ID, workers, restarts, auth.log correlation (process.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/process.ts;
 * preload allowlist in electron/preload/channels/process.ts.
 */
import type { MethodSpec } from '../method';

export const processMethods = {} as const satisfies Record<string, MethodSpec>;
