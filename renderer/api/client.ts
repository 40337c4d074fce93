import { METHOD_NAMES, type Api, type EventName, type EventPayload, type MethodName } from '../../shared/api/contract';
import { ApiCallError } from './api-error';
import type { Transport } from './transport';

async function call(transport: Transport, method: MethodName, input: unknown): Promise<unknown> {
  let envelope: Awaited<ReturnType<Transport['invoke']>>;
  try {
    envelope = await transport.invoke(method, input ?? {});
  } catch (error) {
    if (error instanceof ApiCallError) {
      throw error;
    }
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ApiCallError('internal', `Dossier's back end could not be reached (${reason}).`);
  }
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.ok !== 'boolean') {
    throw new ApiCallError('internal', `The back end sent an unreadable answer to "${method}".`);
  }
  if (!envelope.ok) {
    throw ApiCallError.fromEnvelopeError(envelope.error);
  }
  return envelope.value;
}

/**
 * The typed API over any transport: one async function per contract method, built from the
 * contract's method list (no Proxy). Answers are trusted (the back end validated them); errors
 * become `ApiCallError`.
 */
export function createApiClient(transport: Transport): Api {
  const entries = METHOD_NAMES.map((method) => [method, (input: unknown) => call(transport, method, input)] as const);
  return Object.freeze(Object.fromEntries(entries)) as unknown as Api;
}

export type ApiEvents = Readonly<{
  on: <E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) => () => void;
}>;

export function createApiEvents(transport: Transport): ApiEvents {
  return {
    on: (name, listener) => transport.subscribe(name, (payload) => listener(payload as EventPayload<typeof name>)),
  };
}
