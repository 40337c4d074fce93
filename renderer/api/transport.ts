import type { MethodName } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/errors';

export type TransportKind = 'ipc' | 'http';

/**
 * How the client reaches the back end. A transport moves envelopes and events; it knows nothing
 * about the methods. Events are untyped here: the client types them from the contract.
 */
export type Transport = Readonly<{
  kind: TransportKind;
  invoke: (method: MethodName, input: unknown) => Promise<Envelope<unknown>>;
  subscribe: (eventName: string, listener: (payload: unknown) => void) => () => void;
}>;
