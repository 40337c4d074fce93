import type { Handlers } from '../../../../shared/api/contract';
import type { findingsMethods } from '../../../../shared/api/methods/findings';
import type { HandlerContext } from './context';

export type FindingsHandlers = Pick<Handlers, keyof typeof findingsMethods>;

/** Handlers of shared/api/methods/findings.ts, built from the back end's services. */
export function createFindingsHandlers(_ctx: HandlerContext): FindingsHandlers {
  return {};
}
