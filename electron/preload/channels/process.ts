/** Preload allowlist entries of the process area: one line per method of shared/api/methods/process.ts. */
export const PROCESS_METHODS = {
  'process.workers': true,
  'process.restarts': true,
} as const;
