import type { Handlers } from '../../../../shared/api/contract';
import type { hostStateMethods } from '../../../../shared/api/methods/hoststate';
import type { HandlerContext } from './context';

export type HostStateHandlers = Pick<Handlers, keyof typeof hostStateMethods>;

/** Handlers of shared/api/methods/hoststate.ts, built from the back end's services. */
export function createHostStateHandlers(_ctx: HandlerContext): HostStateHandlers {
  return {};
}
