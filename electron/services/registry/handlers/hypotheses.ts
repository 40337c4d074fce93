import type { Handlers } from '../../../../shared/api/contract';
import type { hypothesesMethods } from '../../../../shared/api/methods/hypotheses';
import { HypothesesService } from '../../hypotheses-service';
import type { HandlerContext } from './context';

export type HypothesesHandlers = Pick<Handlers, keyof typeof hypothesesMethods>;

/** Drops keys whose value is undefined (zod leaves absent optionals out, but exactOptionalPropertyTypes wants them gone). */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** Handlers of shared/api/methods/hypotheses.ts, built from the back end's services. */
export function createHypothesesHandlers(ctx: HandlerContext): HypothesesHandlers {
  const s = new HypothesesService(ctx.session, ctx.ports.now);
  return {
    'notes.list': () => s.notes(),
    'notes.get': (input) => s.note(input.id),
    'notes.create': (input) => s.createNote(input),
    'notes.update': ({ id, ...patch }) => s.updateNote(id, defined(patch)),
    'notes.delete': (input) => ({ deleted: s.deleteNote(input.id) }),
    'hypotheses.list': () => s.hypotheses(),
    'hypotheses.get': (input) => s.hypothesis(input.id),
    'hypotheses.create': (input) => s.createHypothesis(input),
    'hypotheses.update': ({ id, ...patch }) => s.updateHypothesis(id, defined(patch)),
    'hypotheses.delete': (input) => ({ deleted: s.deleteHypothesis(input.id) }),
    'hypotheses.addPrediction': ({ hypothesisId, ...p }) => s.addPrediction(hypothesisId, p),
    'hypotheses.updatePrediction': ({ id, ...patch }) => s.updatePrediction(id, defined(patch)),
    'hypotheses.removePrediction': (input) => s.removePrediction(input.id),
    'hypotheses.link': (input) => s.link(input),
    'hypotheses.updateLink': ({ id, ...patch }) => s.updateLink(id, defined(patch)),
    'hypotheses.unlink': (input) => s.unlink(input.id),
    'hypotheses.history': (input) => s.history(input.id),
    'hypotheses.compare': (input) => s.compare(input.ids),
  };
}
