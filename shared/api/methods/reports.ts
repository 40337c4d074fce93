/**
 * Contract methods of one area: Reports, exports, case packages and verification (reports.*, exports.*).
 * Spread into `contract` (shared/api/contract.ts); handlers in electron/services/registry/handlers/reports.ts;
 * preload allowlist in electron/preload/channels/reports.ts.
 */
import { z } from 'zod';
import { method, type MethodSpec } from '../method';

/** The sections a report can have, in their default order. */
export const REPORT_SECTION_IDS = ['cover', 'toc', 'summary', 'evidence', 'findings', 'hypotheses', 'key_events', 'charts', 'notes', 'appendix'] as const;
export const ReportSectionId = z.enum(REPORT_SECTION_IDS);
export type ReportSectionId = z.infer<typeof ReportSectionId>;

export const REPORT_SECTION_LABELS: Readonly<Record<ReportSectionId, string>> = {
  cover: 'Cover',
  toc: 'Table of contents',
  summary: 'Executive summary',
  evidence: 'Evidence',
  findings: 'Findings',
  hypotheses: 'Hypotheses',
  key_events: 'Key events',
  charts: 'Charts',
  notes: 'Notes',
  appendix: 'Appendix',
};

export const PaperSize = z.enum(['a4', 'letter']);
export type PaperSize = z.infer<typeof PaperSize>;

/** What the analyst chose: sections in order, paper, marking, the executive summary note. */
export const ReportOptions = z
  .object({
    sections: z
      .array(ReportSectionId)
      .max(REPORT_SECTION_IDS.length)
      .refine((s) => new Set(s).size === s.length, 'a section is listed twice')
      .default([...REPORT_SECTION_IDS]),
    paper: PaperSize.default('a4'),
    /** The classification marking on every page; the case's own marking when absent. */
    classification: z.string().trim().max(100).optional(),
    /** The note shown as executive summary (none: the section says so). */
    summaryNoteId: z.number().int().positive().nullable().default(null),
    /** Which findings: confirmed ones (default), or every one not marked false positive. */
    findings: z.enum(['confirmed', 'not_false_positive', 'all']).default('confirmed'),
    /** Chart ids (from `reports.charts`); all available charts when absent. */
    charts: z.array(z.string().max(64)).max(32).optional(),
    /** At most this many key events are listed (the count of all is given). */
    keyEventLimit: z.number().int().min(1).max(5000).default(500),
  })
  .strict();
export type ReportOptions = z.infer<typeof ReportOptions>;
export type ReportOptionsInput = z.input<typeof ReportOptions>;

const FilePath = z.string().min(1).max(4096);

export const ReportPreview = z.object({
  html: z.string(),
  auditLength: z.number().int(),
  auditHeadHash: z.string(),
});
export type ReportPreview = z.infer<typeof ReportPreview>;

export const ReportSaved = z.object({
  path: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  auditHeadHash: z.string(),
});
export type ReportSaved = z.infer<typeof ReportSaved>;

export const PackageManifestFile = z.object({ path: z.string(), bytes: z.number().int(), sha256: z.string() });
export const CasePackageResult = z.object({
  folder: z.string(),
  files: z.array(PackageManifestFile),
  manifest: z.string(),
});
export type CasePackageResult = z.infer<typeof CasePackageResult>;

export const reportsMethods = {
  /** The chart providers this back end has (histogram now; the analysis areas add theirs). */
  'reports.charts': method(z.object({}).strict(), z.array(z.object({ id: z.string(), title: z.string() }))),
  /** The report as HTML for the preview (not audited: nothing leaves the case). */
  'reports.preview': method(z.object({ options: ReportOptions }).strict(), ReportPreview),
  /** Writes the report as a self-contained HTML file (audited). */
  'reports.saveHtml': method(z.object({ options: ReportOptions, path: FilePath }).strict(), ReportSaved),
  /** Writes the report as PDF (audited). */
  'reports.savePdf': method(z.object({ options: ReportOptions, path: FilePath }).strict(), ReportSaved),
  /** Every finding as JSON or CSV (formula-neutralised). */
  'exports.findings': method(z.object({ format: z.enum(['json', 'csv']), path: FilePath }).strict(), z.object({ path: z.string(), rows: z.number().int() })),
  /** The case file (backup API) and a manifest of SHA-256 hashes, in a new folder. */
  'exports.casePackage': method(z.object({ folder: FilePath }).strict(), CasePackageResult),
} as const satisfies Record<string, MethodSpec>;
