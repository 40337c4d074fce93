/**
 * Contract methods of one area: Case notes and hypotheses (notes.*, hypotheses.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/hypotheses.ts;
 * preload allowlist in electron/preload/channels/hypotheses.ts.
 */
import type { MethodSpec } from '../method';

export const hypothesesMethods = {} as const satisfies Record<string, MethodSpec>;
