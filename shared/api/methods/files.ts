/**
 * Contract methods of one area: files and processes — hash manifests, Sleuth Kit bodyfiles and strace (files.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/files.ts;
 * preload allowlist in electron/preload/channels/files.ts.
 */
import type { MethodSpec } from '../method';

export const filesMethods = {} as const satisfies Record<string, MethodSpec>;
