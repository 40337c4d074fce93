/** Preload allowlist entries of the findings area: one line per method of shared/api/methods/findings.ts. */
export const FINDINGS_METHODS = {
  'findings.list': true,
  'findings.get': true,
  'findings.review': true,
  'findings.run': true,
  'findings.rules': true,
} as const;
