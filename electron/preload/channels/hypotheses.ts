/** Preload allowlist entries of the hypotheses area: one line per method of shared/api/methods/hypotheses.ts. */
export const HYPOTHESES_METHODS = {} as const;
