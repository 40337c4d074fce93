import { DossierError } from '../../../shared/api/errors';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers, MethodName } from '../../../shared/api/contract';
import { CaseSession, isKnownZone } from '../case-session';
import { IngestService } from '../ingest-service';
import { TimelineService } from '../timeline-service';
import { listFormats } from '../../core/parsers/registry';
import type { BackendPorts } from '../ports/ports';
import type { HandlerContext } from './handlers/context';
import { createFilesHandlers } from './handlers/files';
import { createFindingsHandlers } from './handlers/findings';
import { createHostStateHandlers } from './handlers/hoststate';
import { createHypothesesHandlers } from './handlers/hypotheses';
import { createPivotHandlers } from './handlers/pivot';
import { createProcessHandlers } from './handlers/process';
import { createReportsHandlers } from './handlers/reports';

/** Calls served by the host itself (they need the window system): everything else is the back end's. */
export type HostMethod = Extract<MethodName, `dialog.${string}`>;
export type BackendMethod = Exclude<MethodName, HostMethod>;
export type BackendHandlers = Pick<Handlers, BackendMethod>;

export const SAMPLE_CASE_FILE = 'Sample case.dossier';

export type Backend = Readonly<{ handlers: BackendHandlers; session: CaseSession; ingest: IngestService; dispose: () => Promise<void> }>;

/** The handlers of the analysis areas (one file each under handlers/). */
function areaHandlers(ctx: HandlerContext) {
  return {
    ...createHypothesesHandlers(ctx),
    ...createProcessHandlers(ctx),
    ...createHostStateHandlers(ctx),
    ...createFindingsHandlers(ctx),
    ...createPivotHandlers(ctx),
    ...createFilesHandlers(ctx),
    ...createReportsHandlers(ctx),
  };
}

/** The composition root of the back end: services built from ports, and the handler table. */
export function createBackend(ports: BackendPorts): Backend {
  const session = new CaseSession(ports);
  const ingest = new IngestService(ports, session);
  const timeline = new TimelineService(session, ports.now);

  async function openSample() {
    const path = join(ports.userDataDir, 'sample', SAMPLE_CASE_FILE);
    if (existsSync(path)) {
      return session.open(path);
    }
    session.create({
      path,
      name: 'Sample case: defaced web shop',
      number: 'SAMPLE-001',
      examiner: '',
      description:
        'A small synthetic case bundled with Dossier: Apache access and error logs, auth.log and fail2ban.log from a web server that was probed, brute-forced and restarted.',
      timeZone: 'Europe/Berlin',
      classification: 'TLP:CLEAR',
    });
    if (ports.sampleEvidenceDir !== null) {
      // Git does not keep file times: the year of year-less syslog lines comes from the dated
      // Apache logs of the same case (reason `case_source`).
      await ingest.runAndWait(ports.sampleEvidenceDir, 'Europe/Berlin', {});
    }
    return session.summary();
  }

  const handlers: BackendHandlers = {
    'app.info': () => ({
      version: ports.appVersion,
      transport: ports.transport,
      platform: process.platform,
      nativeDialogs: ports.nativeDialogs,
      sampleCaseAvailable: true,
      defaultCaseDir: ports.defaultCaseDir,
    }),
    'cases.create': (input) => {
      if (!isKnownZone(input.timeZone)) {
        throw new DossierError('bad_input', `Unknown time zone "${input.timeZone}".`);
      }
      return session.create(input);
    },
    'cases.open': (input) => session.open(input.path),
    'cases.openSample': () => openSample(),
    'cases.current': () => (session.current === null ? null : session.summary()),
    'cases.close': async () => {
      await ingest.beforeClose();
      return { closed: session.close() };
    },
    'cases.updateMeta': (input) => session.updateMeta(input),
    'cases.saveAs': (input) => session.saveAs(input.path),
    'cases.recent': () => session.recent.list(),
    'cases.forgetRecent': (input) => session.recent.forget(input.path),
    'cases.listTimeZones': () => ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')],
    'audit.list': (input) => session.listAudit(input.limit, input.beforeSeq),
    'audit.verify': () => session.verifyAudit(),
    'ingest.scan': (input) => ingest.scan(input.folder),
    'ingest.start': (input) => ingest.start(input.folder, input.timeZone, input.files ?? {}),
    'ingest.cancel': async () => ({ cancelled: await ingest.cancel() }),
    'ingest.status': () => ingest.status(),
    'ingest.formats': () => [...listFormats()],
    'evidence.list': () => ingest.listEvidence(),
    'evidence.update': (input) => ingest.updateEvidence(input),
    'timeline.page': (input) =>
      timeline.page(input.filter, { limit: input.limit, ...(input.after === undefined ? {} : { after: input.after }), ...(input.before === undefined ? {} : { before: input.before }) }),
    'timeline.histogram': (input) => timeline.histogram(input.filter, input.buckets, input.groupBy, input.zone),
    'timeline.facet': (input) => ({ field: input.field, values: timeline.facet(input.filter, input.field, input.limit) }),
    'events.detail': (input) => timeline.detail(input.id),
    'events.context': (input) => timeline.context(input.id, input.before, input.after),
    'events.tag': (input) => timeline.tag(input.ids, input.tag, input.color, input.on),
    'events.star': (input) => ({ changed: timeline.star(input.ids, input.on) }),
    'events.comment': (input) => timeline.comment(input.id, input.body),
    'timeline.export': (input) => timeline.exportView(input.filter, input.format, input.path),
    'tags.list': () => timeline.tags(),
    'views.list': () => timeline.views(),
    'views.save': (input) => timeline.saveView(input.name, input.state),
    'views.delete': (input) => timeline.deleteView(input.id),
    ...areaHandlers({ ports, session, ingest, timeline }),
  };

  return {
    handlers,
    session,
    ingest,
    dispose: async () => {
      await ingest.beforeClose();
      session.close();
    },
  };
}
