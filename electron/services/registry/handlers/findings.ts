import type { Handlers } from '../../../../shared/api/contract';
import { DossierError } from '../../../../shared/api/errors';
import type { findingsMethods } from '../../../../shared/api/methods/findings';
import { DEFAULT_DETECTOR_PARAMS, DetectorParams } from '../../../../shared/domain/findings';
import { findingEvents, getFinding, lastRun, listFindings, setReview, type StoredFinding } from '../../../db/queries/findings';
import { loadWebRules, runDetectors } from '../../findings-service';
import type { HandlerContext } from './context';

export type FindingsHandlers = Pick<Handlers, keyof typeof findingsMethods>;

function item(f: StoredFinding) {
  const { key: _key, details, ...rest } = f;
  const evidence = Array.isArray(details['evidence']) ? (details['evidence'] as unknown[]).map(String) : [];
  return { ...rest, evidence };
}

/** Handlers of shared/api/methods/findings.ts, built from the back end's services. */
export function createFindingsHandlers(ctx: HandlerContext): FindingsHandlers {
  const db = () => ctx.session.requireOpen().db;
  return {
    'findings.list': (input) => {
      const run = lastRun(db());
      return { findings: listFindings(db(), input).map(item), run: run === null ? null : { startedUtc: run.startedUtc, finishedUtc: run.finishedUtc, params: run.params, summary: run.summary } };
    },
    'findings.get': (input) => {
      const f = getFinding(db(), input.id);
      if (f === null) {
        throw new DossierError('not_found', `No finding #${input.id} in this case (detectors may have been re-run).`);
      }
      const page = findingEvents(db(), input.id, input.offset, input.limit);
      return { finding: item(f), total: page.total, events: page.events };
    },
    'findings.review': (input) => {
      return ctx.session.write((open) => {
        const f = getFinding(open.db, input.id);
        if (f === null) {
          throw new DossierError('not_found', `No finding #${input.id} in this case.`);
        }
        setReview(open.db, f.key, input.review, input.comment, ctx.session.actor(), ctx.ports.now().toISOString());
        ctx.session.audit('finding.review', `finding#${f.id} ${f.rule}`, { key: f.key, review: input.review, comment: input.comment });
        const after = getFinding(open.db, input.id);
        if (after === null) {
          throw new DossierError('not_found', `No finding #${input.id} in this case.`);
        }
        return item(after);
      });
    },
    'findings.run': (input) => {
      const open = ctx.session.requireOpen();
      let summary;
      try {
        summary = runDetectors(open.db, input.params ?? {}, loadWebRules(), ctx.ports.now);
      } catch (error) {
        throw new DossierError('bad_input', error instanceof Error ? error.message : String(error));
      }
      ctx.session.audit('findings.run', 'findings', { params: input.params ?? {}, findings: summary.findings, bySeverity: summary.bySeverity });
      return { findings: summary.findings, bySeverity: summary.bySeverity, ms: summary.ms, notes: summary.notes };
    },
    'findings.rules': () => {
      const set = loadWebRules();
      const run = ctx.session.current === null ? null : lastRun(db());
      const parsed = DetectorParams.safeParse(run?.params ?? {});
      return {
        rules: set.rules.map((r) => ({ id: r.id, title: r.title, description: r.description, category: r.category, severity: r.severity, status: { ...r.status }, fields: [...new Set(r.matchers.map((m) => m.field))] })),
        params: parsed.success ? parsed.data : DEFAULT_DETECTOR_PARAMS,
        defaults: DEFAULT_DETECTOR_PARAMS,
      };
    },
  };
}
