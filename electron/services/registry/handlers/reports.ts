import type { Handlers } from '../../../../shared/api/contract';
import type { reportsMethods } from '../../../../shared/api/methods/reports';
import { listFindings } from '../../../db/queries/findings';
import { listHypotheses, listNotes } from '../../../db/queries/hypotheses';
import { ProcessService } from '../../process-service';
import { exportCasePackage } from '../../report/case-package';
import { findingsCsv, findingsJson } from '../../report/findings-export';
import { hostStateCharts, processCharts } from '../../report/panel-charts';
import type { ReportInputOverrides } from '../../report/report-inputs';
import { ReportService, writeNewFile } from '../../report/report-service';
import type { CaseSession } from '../../case-session';
import type { BackendPorts } from '../../ports/ports';
import type { HandlerContext } from './context';

export type ReportsHandlers = Pick<Handlers, keyof typeof reportsMethods>;

/**
 * The readers the other areas contribute to reports: notes, hypotheses (with their predictions'
 * live counts), every finding (the report keeps the scope the analyst chose: confirmed ones by
 * default), and the panels' charts. The case is read when the report is made (never captured here:
 * the session may open another case later).
 */
export function reportOverrides(session: CaseSession, _ports: BackendPorts): ReportInputOverrides {
  const db = () => session.requireOpen().db;
  const process = new ProcessService(session);
  return {
    notes: () => listNotes(db()),
    hypotheses: () => listHypotheses(db()),
    findings: () => listFindings(db()),
    charts: [...processCharts({ workers: () => process.workers({ maxPoints: 2500 }), restarts: () => process.restarts() }), ...hostStateCharts(db)],
  };
}

/** The report service of a back end (also used by the CLI's `report`). */
export function createReportService(session: CaseSession, ports: BackendPorts): ReportService {
  return new ReportService(session, { appVersion: ports.appVersion, now: ports.now, printer: ports.printPdf ?? null, overrides: reportOverrides(session, ports) });
}

/** Handlers of shared/api/methods/reports.ts, built from the back end's services. */
export function createReportsHandlers(ctx: HandlerContext): ReportsHandlers {
  const reports = createReportService(ctx.session, ctx.ports);
  return {
    'reports.charts': () => reports.charts(),
    'reports.preview': (input) => reports.preview(input.options),
    'reports.saveHtml': (input) => reports.save(input.options, 'html', input.path),
    'reports.savePdf': (input) => reports.save(input.options, 'pdf', input.path),
    'exports.findings': async (input) => {
      const open = ctx.session.requireOpen();
      const findings = await reports.inputs().findings();
      const text = input.format === 'csv' ? findingsCsv(findings) : findingsJson(findings);
      const path = writeNewFile(input.path, text, open.path);
      ctx.session.audit('export.findings', path, { format: input.format, rows: findings.length });
      return { path, rows: findings.length };
    },
    'exports.casePackage': (input) => exportCasePackage(ctx.session, input.folder, ctx.ports.appVersion, ctx.ports.now),
  };
}
