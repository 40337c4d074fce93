import type { Handlers } from '../../../../shared/api/contract';
import type { processMethods } from '../../../../shared/api/methods/process';
import { ProcessService } from '../../process-service';
import type { HandlerContext } from './context';

export type ProcessHandlers = Pick<Handlers, keyof typeof processMethods>;

/** Handlers of shared/api/methods/process.ts, built from the back end's services. */
export function createProcessHandlers(ctx: HandlerContext): ProcessHandlers {
  const service = new ProcessService(ctx.session);
  return {
    'process.workers': (input) => service.workers(input),
    'process.restarts': (input) => service.restarts(input),
  };
}
