/** Preload allowlist entries of the reports area: one line per method of shared/api/methods/reports.ts. */
export const REPORTS_METHODS = {} as const;
