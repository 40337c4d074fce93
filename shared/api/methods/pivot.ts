/**
 * Contract methods of one area: the pivot pages and auth.log sessions (pivot.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/pivot.ts;
 * preload allowlist in electron/preload/channels/pivot.ts.
 */
import type { MethodSpec } from '../method';

export const pivotMethods = {} as const satisfies Record<string, MethodSpec>;
