import type { Handlers } from '../../../../shared/api/contract';
import type { hypothesesMethods } from '../../../../shared/api/methods/hypotheses';
import type { HandlerContext } from './context';

export type HypothesesHandlers = Pick<Handlers, keyof typeof hypothesesMethods>;

/** Handlers of shared/api/methods/hypotheses.ts, built from the back end's services. */
export function createHypothesesHandlers(_ctx: HandlerContext): HypothesesHandlers {
  return {};
}
