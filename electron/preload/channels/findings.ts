/** Preload allowlist entries of the findings area: one line per method of shared/api/methods/findings.ts. */
export const FINDINGS_METHODS = {} as const;
