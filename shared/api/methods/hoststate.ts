/**
 * Contract methods of one area: Host-state evidence: server-status, netstat/ss, ps/top, strace, manifests, bodyfiles (hoststate.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/hoststate.ts;
 * preload allowlist in electron/preload/channels/hoststate.ts.
 */
import type { MethodSpec } from '../method';

export const hostStateMethods = {} as const satisfies Record<string, MethodSpec>;
