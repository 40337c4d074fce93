/** Preload allowlist entries of the pivot area: one line per method of shared/api/methods/pivot.ts. */
export const PIVOT_METHODS = {} as const;
