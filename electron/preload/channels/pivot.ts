/** Preload allowlist entries of the pivot area: one line per method of shared/api/methods/pivot.ts. */
export const PIVOT_METHODS = {
  'pivot.entity': true,
  'pivot.timeline': true,
  'pivot.sessions': true,
  'pivot.session': true,
} as const;
