import type { Handlers } from '../../../../shared/api/contract';
import type { pivotMethods } from '../../../../shared/api/methods/pivot';
import type { HandlerContext } from './context';

export type PivotHandlers = Pick<Handlers, keyof typeof pivotMethods>;

/** Handlers of shared/api/methods/pivot.ts, built from the back end's services. */
export function createPivotHandlers(_ctx: HandlerContext): PivotHandlers {
  return {};
}
