import type { Handlers } from '../../../../shared/api/contract';
import type { reportsMethods } from '../../../../shared/api/methods/reports';
import type { HandlerContext } from './context';

export type ReportsHandlers = Pick<Handlers, keyof typeof reportsMethods>;

/** Handlers of shared/api/methods/reports.ts, built from the back end's services. */
export function createReportsHandlers(_ctx: HandlerContext): ReportsHandlers {
  return {};
}
