/**
 * The preload's allowlists: exactly the contract's method and event names. They are written out
 * here instead of imported so the sandboxed preload bundle stays tiny and zod-free (importing the
 * contract would pull ~750 kB of zod into every window). `satisfies Record<MethodName, true>`
 * makes the compiler reject a missing or extra name, and channels.test.ts compares them with
 * METHOD_NAMES / EVENT_NAMES at run time too.
 */
import type { EventName, MethodName } from '../../shared/api/contract';
import { FILES_METHODS } from './channels/files';
import { FINDINGS_METHODS } from './channels/findings';
import { HOST_STATE_METHODS } from './channels/hoststate';
import { HYPOTHESES_METHODS } from './channels/hypotheses';
import { PIVOT_METHODS } from './channels/pivot';
import { PROCESS_METHODS } from './channels/process';
import { REPORTS_METHODS } from './channels/reports';

const METHODS = {
  'app.info': true,
  'cases.create': true,
  'cases.open': true,
  'cases.openSample': true,
  'cases.current': true,
  'cases.close': true,
  'cases.updateMeta': true,
  'cases.saveAs': true,
  'cases.recent': true,
  'cases.forgetRecent': true,
  'cases.listTimeZones': true,
  'audit.list': true,
  'audit.verify': true,
  'ingest.scan': true,
  'ingest.start': true,
  'ingest.cancel': true,
  'ingest.status': true,
  'ingest.formats': true,
  'evidence.list': true,
  'evidence.update': true,
  'timeline.page': true,
  'timeline.histogram': true,
  'timeline.facet': true,
  'events.detail': true,
  'events.context': true,
  'events.tag': true,
  'events.star': true,
  'events.comment': true,
  'tags.list': true,
  'views.list': true,
  'views.save': true,
  'views.delete': true,
  'timeline.export': true,
  'dialog.openCase': true,
  'dialog.saveCase': true,
  'dialog.pickFolder': true,
  'dialog.saveExport': true,
  ...HYPOTHESES_METHODS,
  ...PROCESS_METHODS,
  ...HOST_STATE_METHODS,
  ...FINDINGS_METHODS,
  ...PIVOT_METHODS,
  ...FILES_METHODS,
  ...REPORTS_METHODS,
} as const satisfies Record<MethodName, true>;

const EVENTS = {
  'cases.onChanged': true,
  'cases.onIntegrity': true,
  'ingest.onProgress': true,
  'ingest.onDone': true,
  'menu.onCommand': true,
} as const satisfies Record<EventName, true>;

export const ALLOWED_METHODS: ReadonlyArray<string> = Object.freeze(Object.keys(METHODS));
export const ALLOWED_EVENTS: ReadonlyArray<string> = Object.freeze(Object.keys(EVENTS));

export function isAllowedMethod(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(METHODS, name);
}

export function isAllowedEvent(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, name);
}
