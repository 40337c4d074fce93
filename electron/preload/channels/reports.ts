/** Preload allowlist entries of the reports area: one line per method of shared/api/methods/reports.ts. */
export const REPORTS_METHODS = {
  'reports.charts': true,
  'reports.preview': true,
  'reports.saveHtml': true,
  'reports.savePdf': true,
  'exports.findings': true,
  'exports.casePackage': true,
} as const;
