import type { Handlers } from '../../../../shared/api/contract';
import type { pivotMethods } from '../../../../shared/api/methods/pivot';
import { findingsFor } from '../../../db/queries/findings';
import { PivotService, type FindingsFor } from '../../pivot-service';
import type { HandlerContext } from './context';

export type PivotHandlers = Pick<Handlers, keyof typeof pivotMethods>;

export type PivotHandlerOptions = Readonly<{
  /** The findings of an address or user; the findings area's query by default. */
  findingsFor?: FindingsFor;
}>;

/** Handlers of shared/api/methods/pivot.ts, built from the back end's services. */
export function createPivotHandlers(ctx: HandlerContext, options: PivotHandlerOptions = {}): PivotHandlers {
  const pivot = new PivotService(ctx.session, options.findingsFor ?? findingsFor);
  return {
    'pivot.entity': (input) => pivot.entity(input),
    'pivot.timeline': (input) => pivot.timeline(input.entity, input.buckets, { ...(input.from === undefined ? {} : { from: input.from }), ...(input.to === undefined ? {} : { to: input.to }) }),
    'pivot.sessions': (input) => pivot.sessions(input),
    'pivot.session': (input) => pivot.session(input.id, input.windowMs, input.webLimit),
  };
}
