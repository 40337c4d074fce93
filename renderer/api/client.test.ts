import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, type MethodName } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/errors';
import { ApiCallError, errorMessage } from './api-error';
import { createApiClient, createApiEvents } from './client';
import type { Transport } from './transport';

type Call = { method: MethodName; input: unknown };

function fakeTransport(answer: (method: MethodName, input: unknown) => Envelope<unknown> | Promise<Envelope<unknown>>) {
  const calls: Call[] = [];
  const listeners = new Map<string, Array<(payload: unknown) => void>>();
  const transport: Transport = {
    kind: 'http',
    invoke: async (method, input) => {
      calls.push({ method, input });
      return answer(method, input);
    },
    subscribe: (name, listener) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return () => listeners.set(name, (listeners.get(name) ?? []).filter((l) => l !== listener));
    },
  };
  const emit = (name: string, payload: unknown) => (listeners.get(name) ?? []).forEach((l) => l(payload));
  return { transport, calls, emit, listeners };
}

describe('createApiClient', () => {
  it('has one function per contract method', () => {
    const api = createApiClient(fakeTransport(() => ({ ok: true, value: null })).transport);
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES].sort());
    for (const m of METHOD_NAMES) {
      expect(typeof api[m]).toBe('function');
    }
  });

  it('passes method and input through and returns the value', async () => {
    const fake = fakeTransport((method) => ({ ok: true, value: method === 'cases.listTimeZones' ? ['UTC', 'Europe/Zurich'] : null }));
    const api = createApiClient(fake.transport);
    await expect(api['cases.listTimeZones']({})).resolves.toEqual(['UTC', 'Europe/Zurich']);
    await api['audit.list']({ limit: 50, beforeSeq: 10 });
    expect(fake.calls).toEqual([
      { method: 'cases.listTimeZones', input: {} },
      { method: 'audit.list', input: { limit: 50, beforeSeq: 10 } },
    ]);
  });

  it('throws ApiCallError with code and message on { ok: false }', async () => {
    const api = createApiClient(
      fakeTransport(() => ({ ok: false, error: { code: 'not_a_case_file', message: '/tmp/x is not a Dossier case file.' } })).transport,
    );
    const error = await api['cases.open']({ path: '/tmp/x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ code: 'not_a_case_file', message: '/tmp/x is not a Dossier case file.' });
    expect(errorMessage(error)).toBe('/tmp/x is not a Dossier case file.');
  });

  it('maps unknown error codes to internal', async () => {
    const api = createApiClient(fakeTransport(() => ({ ok: false, error: { code: 'weird' as never, message: 'odd' } })).transport);
    await expect(api['app.info']({})).rejects.toMatchObject({ code: 'internal', message: 'odd' });
  });

  it('turns transport failures into ApiCallError without a stack in the message', async () => {
    const api = createApiClient(
      fakeTransport(() => {
        throw new TypeError('Failed to fetch\n    at somewhere (file.js:1:1)');
      }).transport,
    );
    const error = await api['cases.current']({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).code).toBe('internal');
    expect((error as ApiCallError).message).toContain('Failed to fetch');
    expect((error as ApiCallError).message).not.toContain('file.js');
  });

  it('rejects malformed envelopes', async () => {
    const api = createApiClient(fakeTransport(() => 'nonsense' as unknown as Envelope<unknown>).transport);
    await expect(api['cases.recent']({})).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('createApiEvents', () => {
  it('subscribes to contract events and unsubscribes', () => {
    const fake = fakeTransport(() => ({ ok: true, value: null }));
    const events = createApiEvents(fake.transport);
    const seen: unknown[] = [];
    const off = events.on('cases.onChanged', (summary) => seen.push(summary?.name ?? null));
    fake.emit('cases.onChanged', { name: 'Case A' });
    fake.emit('cases.onChanged', null);
    off();
    fake.emit('cases.onChanged', { name: 'Case B' });
    expect(seen).toEqual(['Case A', null]);
  });
});
