import type { MethodName } from '../../../shared/api/contract';
import type { Envelope } from '../../../shared/api/errors';
import { ApiCallError } from '../api-error';
import type { Transport } from '../transport';

type EventSourceLike = {
  onmessage: ((event: { data: unknown }) => void) | null;
  close: () => void;
};

export type HttpTransportOptions = Readonly<{
  /** '' for the page's own origin. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSourceLike;
}>;

function parseEventMessage(data: unknown): { name: string; payload: unknown } | null {
  if (typeof data !== 'string') {
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { name?: unknown }).name === 'string') {
      return { name: (parsed as { name: string }).name, payload: (parsed as { payload?: unknown }).payload ?? null };
    }
  } catch {
    // a malformed message is dropped: events are hints to refresh, never the only copy of data
  }
  return null;
}

function openEventSource(url: string): EventSourceLike {
  const es = new EventSource(url);
  const like: EventSourceLike = { onmessage: null, close: () => es.close() };
  es.onmessage = (event) => like.onmessage?.({ data: event.data as unknown });
  return like;
}

/**
 * Browser mode: `POST /rpc/<method>` with the bearer token, events over one shared Server-Sent
 * Events stream (opened on the first subscription, closed with the last).
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const openEvents = options.createEventSource ?? openEventSource;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let source: EventSourceLike | null = null;

  function ensureSource(): void {
    if (source !== null) {
      return;
    }
    const opened = openEvents(`${options.baseUrl}/events?token=${encodeURIComponent(options.token)}`);
    source = opened;
    opened.onmessage = (event) => {
      const message = parseEventMessage(event.data);
      if (message === null) {
        return;
      }
      for (const listener of [...(listeners.get(message.name) ?? [])]) {
        listener(message.payload);
      }
    };
  }

  function closeSourceIfIdle(): void {
    if (source !== null && [...listeners.values()].every((set) => set.size === 0)) {
      source.close();
      source = null;
    }
  }

  async function invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>> {
    const response = await doFetch(`${options.baseUrl}/rpc/${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ input }),
      cache: 'no-store',
    });
    if ((response.headers.get('content-type') ?? '').startsWith('application/json')) {
      return (await response.json()) as Envelope<unknown>;
    }
    if (response.status === 401) {
      throw new ApiCallError('internal', 'This page has no valid session token. Open the address Dossier printed when it started.');
    }
    const text = (await response.text()).slice(0, 200);
    throw new ApiCallError('internal', `The back end answered ${response.status}${text !== '' ? `: ${text}` : ''}.`);
  }

  return {
    kind: 'http',
    invoke,
    subscribe: (eventName, listener) => {
      const set = listeners.get(eventName) ?? new Set();
      set.add(listener);
      listeners.set(eventName, set);
      ensureSource();
      return () => {
        set.delete(listener);
        closeSourceIfIdle();
      };
    },
  };
}
