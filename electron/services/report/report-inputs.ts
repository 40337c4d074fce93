/**
 * What a report reads, as a port: plain functions returning the shared shapes. The case-file
 * implementation below covers what exists in the case today (case, evidence, key events, audit,
 * the histogram chart); notes, hypotheses and findings are empty lists until their areas plug their
 * readers in (`withInputs(base, { notes, hypotheses, findings, charts })`), and tests inject fakes.
 */
import type { AuditVerification } from '../../../shared/domain/case';
import type { EvidenceItem } from '../../../shared/domain/evidence';
import type { Finding } from '../../../shared/domain/findings';
import type { Hypothesis, Note } from '../../../shared/domain/hypotheses';
import type { ReadableDb } from '../../db/connection/sql';
import { verifyAudit } from '../../db/queries/audit';
import { getCaseInfo } from '../../db/queries/case-info';
import { listEvidence } from '../../db/queries/evidence';
import { histogram } from '../../db/queries/timeline';

export type ReportCaseInfo = Readonly<{
  name: string;
  number: string;
  examiner: string;
  description: string;
  timeZone: string;
  classification: string;
  createdUtc: string;
  modifiedUtc: string;
  path: string;
  eventCount: number;
}>;

/** A tagged or starred event with where it came from. */
export type KeyEvent = Readonly<{
  id: number;
  ts: number | null;
  tzOffsetMinutes: number | null;
  sourceKind: string;
  evidencePath: string;
  evidenceSha256: string | null;
  lineNo: number;
  byteOffset: number;
  message: string;
  tags: ReadonlyArray<string>;
  starred: boolean;
  comments: ReadonlyArray<string>;
}>;

/** A chart as an ECharts option (drawn to SVG on the server) or a ready SVG string. */
export type ChartSpec =
  | Readonly<{ kind: 'echarts'; option: Record<string, unknown>; width?: number; height?: number; caption?: string }>
  | Readonly<{ kind: 'svg'; svg: string; caption?: string }>;

export type ChartContext = Readonly<{ caseInfo: ReportCaseInfo; zone: string }>;

export type ChartProvider = Readonly<{
  id: string;
  title: string;
  /** null when the case has nothing to draw. */
  render: (ctx: ChartContext) => ChartSpec | null | Promise<ChartSpec | null>;
}>;

type Maybe<T> = T | Promise<T>;

export type ReportInputs = Readonly<{
  caseInfo: () => Maybe<ReportCaseInfo>;
  evidence: () => Maybe<ReadonlyArray<EvidenceItem>>;
  notes: () => Maybe<ReadonlyArray<Note>>;
  hypotheses: () => Maybe<ReadonlyArray<Hypothesis>>;
  findings: () => Maybe<ReadonlyArray<Finding>>;
  keyEvents: (limit: number) => Maybe<Readonly<{ rows: ReadonlyArray<KeyEvent>; total: number }>>;
  audit: () => Maybe<AuditVerification>;
  charts: ReadonlyArray<ChartProvider>;
}>;

/** The providers the other areas add at merge time (or tests inject). */
export type ReportInputOverrides = Partial<Omit<ReportInputs, 'charts'>> & Readonly<{ charts?: ReadonlyArray<ChartProvider> }>;

/** `base` with some readers replaced; extra chart providers are appended after the built-in ones. */
export function withInputs(base: ReportInputs, overrides: ReportInputOverrides): ReportInputs {
  return { ...base, ...overrides, charts: [...base.charts, ...(overrides.charts ?? [])] };
}

/** Events over time per source kind, from the per-minute rollup (fast at millions of events). */
export function histogramChart(db: ReadableDb): ChartProvider {
  return {
    id: 'histogram',
    title: 'Events over time by source',
    render: (ctx) => {
      const h = histogram(db, {}, 120, 'sourceKind', ctx.zone);
      if (h.total === 0) {
        return null;
      }
      return {
        kind: 'echarts',
        caption: `${h.total.toLocaleString('en')} events in buckets of ${h.bucketLabel} (UTC axis).`,
        option: {
          animation: false,
          textStyle: { fontFamily: 'DossierSans' },
          legend: { top: 0, textStyle: { fontSize: 10 } },
          // The legend wraps past about eight sources: leave it a second row.
          grid: { left: 56, right: 16, top: h.series.length > 8 ? 48 : 28, bottom: 36 },
          xAxis: { type: 'time', axisLabel: { fontSize: 9, hideOverlap: true } },
          yAxis: { type: 'value', axisLabel: { fontSize: 9 } },
          series: h.series.map((s) => ({
            name: s.key,
            type: 'bar',
            stack: 'all',
            barCategoryGap: '0%',
            large: true,
            data: s.counts.map((c, i) => [h.starts[i] ?? 0, c]),
          })),
        },
      };
    },
  };
}

type KeyRow = {
  id: number; ts: number | null; tz_off: number | null; line_no: number; byte_offset: number; message: string; rel_path: string;
  source_kind: string; sha256: string | null; content_sha256: string | null; starred: number; tags: string | null;
};

/** The readers over an open case file; notes, hypotheses and findings are empty until their areas plug in. */
export function caseFileInputs(db: ReadableDb, path: string): ReportInputs {
  return {
    caseInfo: () => {
      const info = getCaseInfo(db);
      const count = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      return {
        name: info.name, number: info.number, examiner: info.examiner, description: info.description, timeZone: info.time_zone,
        classification: info.classification, createdUtc: info.created_utc, modifiedUtc: info.modified_utc, path, eventCount: count,
      };
    },
    evidence: () => listEvidence(db),
    notes: () => [],
    hypotheses: () => [],
    findings: () => [],
    keyEvents: (limit) => {
      const ids = 'SELECT event_id FROM event_tags UNION SELECT event_id FROM event_stars';
      const total = (db.prepare(`SELECT count(*) AS n FROM (${ids})`).get() as { n: number }).n;
      const rows = db
        .prepare(
          `SELECT e.id, e.ts, e.tz_off, e.line_no, e.byte_offset, e.message, v.rel_path, v.source_kind, v.sha256, v.content_sha256,
             EXISTS (SELECT 1 FROM event_stars s WHERE s.event_id = e.id) AS starred,
             (SELECT json_group_array(t.name) FROM event_tags et JOIN tags t ON t.id = et.tag_id WHERE et.event_id = e.id) AS tags
           FROM events e JOIN evidence v ON v.id = e.evidence_id
           WHERE e.id IN (${ids})
           ORDER BY e.ts IS NULL, e.ts, e.id LIMIT ?`,
        )
        .all(limit) as KeyRow[];
      const commentStmt = db.prepare('SELECT body FROM comments WHERE event_id = ? ORDER BY id');
      return {
        total,
        rows: rows.map((r) => ({
          id: r.id, ts: r.ts, tzOffsetMinutes: r.tz_off, sourceKind: r.source_kind, evidencePath: r.rel_path, evidenceSha256: r.sha256 ?? r.content_sha256,
          lineNo: r.line_no, byteOffset: r.byte_offset, message: r.message, starred: r.starred === 1,
          tags: r.tags === null ? [] : (JSON.parse(r.tags) as string[]),
          comments: (commentStmt.all(r.id) as Array<{ body: string }>).map((c) => c.body),
        })),
      };
    },
    audit: () => verifyAudit(db),
    charts: [histogramChart(db)],
  };
}
