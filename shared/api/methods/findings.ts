/**
 * Contract methods of one area: Findings, detectors and the pivot pages (findings.*, pivot.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/findings.ts;
 * preload allowlist in electron/preload/channels/findings.ts.
 */
import type { MethodSpec } from '../method';

export const findingsMethods = {} as const satisfies Record<string, MethodSpec>;
