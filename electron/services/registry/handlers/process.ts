import type { Handlers } from '../../../../shared/api/contract';
import type { processMethods } from '../../../../shared/api/methods/process';
import type { HandlerContext } from './context';

export type ProcessHandlers = Pick<Handlers, keyof typeof processMethods>;

/** Handlers of shared/api/methods/process.ts, built from the back end's services. */
export function createProcessHandlers(_ctx: HandlerContext): ProcessHandlers {
  return {};
}
