import { ZodError } from 'zod';
import { contract, isMethodName, type Handlers, type MethodName } from '../../../shared/api/contract';
import { DossierError, type ApiError, type Envelope } from '../../../shared/api/errors';

/** One entry point for every transport: validate, call, wrap in the envelope. Never throws. */
export type Dispatch = (method: string, rawInput: unknown) => Promise<Envelope<unknown>>;

export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

/** Maps anything thrown to an analyst-readable error. Unexpected errors are logged with their stack, never shown. */
export function toApiError(error: unknown, log: (message: string) => void = (m) => console.error(m)): ApiError {
  if (error instanceof DossierError) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof ZodError) {
    return { code: 'bad_input', message: `Invalid request: ${describeZodError(error)}` };
  }
  log(`[dossier] unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const message = error instanceof Error ? error.message.split('\n')[0] ?? 'unknown error' : String(error);
  return { code: 'internal', message: `Something went wrong: ${message.slice(0, 300)}` };
}

export function validateInput<M extends MethodName>(method: M, raw: unknown): Parameters<Handlers[M]>[0] {
  return contract[method].input.parse(raw ?? {}) as Parameters<Handlers[M]>[0];
}

export function createDispatcher(handlers: Partial<Handlers>): Dispatch {
  return async (method, rawInput) => {
    try {
      if (!isMethodName(method)) {
        return { ok: false, error: { code: 'not_found', message: `Unknown call "${method.slice(0, 80)}".` } };
      }
      const handler = handlers[method] as ((input: unknown) => unknown) | undefined;
      if (handler === undefined) {
        return { ok: false, error: { code: 'unsupported', message: `"${method}" is not available here.` } };
      }
      const input = validateInput(method, rawInput);
      const value = await handler(input);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  };
}
