/**
 * Contract methods of one area: Reports, exports, case packages and verification (reports.*, exports.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/reports.ts;
 * preload allowlist in electron/preload/channels/reports.ts.
 */
import type { MethodSpec } from '../method';

export const reportsMethods = {} as const satisfies Record<string, MethodSpec>;
