import { describe, expect, it } from 'vitest';
import { createApiClient } from '../client';
import { createHttpTransport } from './http';

type Recorded = { url: string; init: RequestInit | undefined };

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}

describe('createHttpTransport', () => {
  it('posts { input } with the bearer token to /rpc/<method>', async () => {
    const requests: Recorded[] = [];
    const transport = createHttpTransport({
      baseUrl: 'http://127.0.0.1:5555',
      token: 'tok',
      fetch: async (url, init) => {
        requests.push({ url: String(url), init });
        return jsonResponse({ ok: true, value: { closed: true } });
      },
    });
    await expect(createApiClient(transport)['cases.close']({})).resolves.toEqual({ closed: true });
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req?.url).toBe('http://127.0.0.1:5555/rpc/cases.close');
    expect(req?.init?.method).toBe('POST');
    expect(req?.init?.headers).toMatchObject({ Authorization: 'Bearer tok', 'Content-Type': 'application/json' });
    expect(JSON.parse(String(req?.init?.body))).toEqual({ input: {} });
  });

  it('explains a missing token (401 text answer)', async () => {
    const transport = createHttpTransport({ baseUrl: '', token: 'bad', fetch: async () => new Response('missing or wrong token', { status: 401 }) });
    await expect(createApiClient(transport)['app.info']({})).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('session token') });
  });

  it('shares one event stream and routes messages by name', () => {
    const opened: string[] = [];
    const sources: Array<{ onmessage: ((e: { data: unknown }) => void) | null; closed: boolean; close: () => void }> = [];
    const transport = createHttpTransport({
      baseUrl: '',
      token: 'a b',
      fetch: async () => jsonResponse({ ok: true, value: null }),
      createEventSource: (url) => {
        opened.push(url);
        const s = { onmessage: null, closed: false, close: () => (s.closed = true) } as (typeof sources)[number];
        sources.push(s);
        return s;
      },
    });
    const got: unknown[] = [];
    const off1 = transport.subscribe('cases.onChanged', (p) => got.push(['one', p]));
    const off2 = transport.subscribe('other.onThing', (p) => got.push(['two', p]));
    expect(opened).toEqual(['/events?token=a%20b']);
    const source = sources[0];
    source?.onmessage?.({ data: JSON.stringify({ name: 'cases.onChanged', payload: { name: 'X' } }) });
    source?.onmessage?.({ data: 'not json' });
    source?.onmessage?.({ data: JSON.stringify({ name: 'other.onThing', payload: 1 }) });
    expect(got).toEqual([
      ['one', { name: 'X' }],
      ['two', 1],
    ]);
    off1();
    expect(source?.closed).toBe(false);
    off2();
    expect(source?.closed).toBe(true);
  });
});
