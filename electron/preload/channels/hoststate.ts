/** Preload allowlist entries of the hoststate area: one line per method of shared/api/methods/hoststate.ts. */
export const HOST_STATE_METHODS = {
  'hoststate.snapshots': true,
  'hoststate.serverStatus': true,
  'hoststate.netstat': true,
  'hoststate.processes': true,
  'hoststate.exportPanel': true,
} as const;
