import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { createBackend, type Backend } from '../../services/registry/create-handlers';
import { createDispatcher } from '../../services/registry/dispatch';
import { startHttpServer, type RunningHttpServer } from './http-server';
import { inProcessIngestPort } from '../../workers/ingest/ingest-port';

type Reply = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

function call(server: RunningHttpServer, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'POST', headers: opts.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
          if (res.headers['content-type']?.startsWith('text/event-stream') === true) {
            res.destroy();
            resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) {
      req.write(opts.body);
    }
    req.end();
  });
}

describe('loopback HTTP transport', () => {
  let tmp: TempDir;
  let backend: Backend;
  let server: RunningHttpServer;
  let good: Record<string, string>;

  beforeAll(async () => {
    tmp = makeTempDir();
    backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir,
      sampleEvidenceDir: null, osUser: 'tester', emit: (n, p) => server.broadcast(n, p), now: () => new Date(), ingest: inProcessIngestPort(),
    });
    server = await startHttpServer({ dispatch: createDispatcher(backend.handlers), staticDir: null });
    good = { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
  });
  afterAll(async () => {
    await server.close();
    await backend.dispose();
    tmp.cleanup();
  });

  it('listens on 127.0.0.1 only, on a random port, with a fresh token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    expect(server.appUrl).toContain(server.token);
  });

  it('answers a call with the envelope', async () => {
    const r = await call(server, '/rpc/app.info', { headers: good, body: JSON.stringify({ input: {} }) });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { transport: 'http', nativeDialogs: false } });
  });

  it('answers 401 without the token and with a wrong one', async () => {
    const { Authorization: _, ...noToken } = good;
    expect((await call(server, '/rpc/app.info', { headers: noToken, body: '{}' })).status).toBe(401);
    expect((await call(server, '/rpc/app.info', { headers: { ...good, Authorization: 'Bearer nope' }, body: '{}' })).status).toBe(401);
    expect((await call(server, `/rpc/app.info?token=${server.token}`, { headers: noToken, body: '{}' })).status).toBe(401);
    expect((await call(server, '/events', { method: 'GET', headers: { Host: good.Host ?? '' } })).status).toBe(401);
  });

  it('answers 403 to a wrong Host header (DNS rebinding) and to a foreign Origin', async () => {
    expect((await call(server, '/rpc/app.info', { headers: { ...good, Host: `evil.example:${server.port}` }, body: '{}' })).status).toBe(403);
    expect((await call(server, '/rpc/app.info', { headers: { ...good, Host: '127.0.0.1:1' }, body: '{}' })).status).toBe(403);
    expect((await call(server, '/rpc/app.info', { headers: { ...good, Origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await call(server, '/rpc/app.info', { headers: { ...good, Origin: `http://127.0.0.1:${server.port + 1}` }, body: '{}' })).status).toBe(403);
    expect((await call(server, '/', { method: 'GET', headers: { Host: 'attacker.test' } })).status).toBe(403);
    const same = await call(server, '/rpc/app.info', { headers: { ...good, Origin: `http://127.0.0.1:${server.port}` }, body: '{}' });
    expect(same.status).toBe(200);
  });

  it('refuses non-JSON bodies (no simple cross-site form posts) and bad JSON', async () => {
    expect((await call(server, '/rpc/app.info', { headers: { ...good, 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    const bad = await call(server, '/rpc/app.info', { headers: good, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('validates input against the contract and names unknown calls', async () => {
    const r = await call(server, '/rpc/cases.open', { headers: good, body: JSON.stringify({ input: { path: 42 } }) });
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const u = await call(server, '/rpc/no.such', { headers: good, body: '{}' });
    expect(JSON.parse(u.body)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const extra = await call(server, '/rpc/cases.close', { headers: good, body: JSON.stringify({ input: { evil: 1 } }) });
    expect(JSON.parse(extra.body)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('returns analyst-readable errors without stack traces', async () => {
    const r = await call(server, '/rpc/cases.open', { headers: good, body: JSON.stringify({ input: { path: '/etc/hostname' } }) });
    const body = JSON.parse(r.body) as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('not_a_case_file');
    expect(body.error.message).not.toMatch(/\n\s+at /u);
  });

  it('streams events over SSE with the token in the query', async () => {
    const r = await call(server, `/events?token=${server.token}`, { method: 'GET', headers: { Host: good.Host ?? '' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/event-stream');
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
