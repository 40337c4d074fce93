/**
 * The loopback server against every method of the contract: transport refusals (token, Host,
 * Origin, content type, bad JSON, oversized bodies, unknown calls) and wrong-typed input built by
 * walking each method's zod schema. METHOD_NAMES comes from the contract, so a new method is
 * covered without touching this file. The answers must always be the envelope: no 500, no stack
 * trace, `bad_input` whenever the contract refuses the input, never `internal`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, type MethodName } from '../../../shared/api/contract';
import { API_ERROR_CODES } from '../../../shared/api/errors';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { createBackend, type Backend } from '../../services/registry/create-handlers';
import { createDispatcher } from '../../services/registry/dispatch';
import { inProcessIngestPort } from '../../workers/ingest/ingest-port';
import { startHttpServer, type RunningHttpServer } from './http-server';

type Reply = Readonly<{ status: number; body: string }>;
type CallOptions = Readonly<{ method?: string; headers?: Record<string, string>; body?: string | Buffer }>;
type Outcome = Readonly<{ status: number; envelope: Envelope | null; transportError: string | null }>;
type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

const STACK_TRACE = /\n\s+at /u;
const ACCESS = '192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326 "-" "curl/8.0"';

function call(server: RunningHttpServer, path: string, opts: CallOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // agent: false — a fresh connection per call, so one refused request cannot poison the next one.
    const req = request({ host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'POST', headers: opts.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body !== undefined) {
      req.write(opts.body);
    }
    req.end();
  });
}

/** A call whose connection may legitimately be cut by the server (oversized bodies). */
async function callTolerant(server: RunningHttpServer, path: string, opts: CallOptions): Promise<Outcome> {
  try {
    const r = await call(server, path, opts);
    return { status: r.status, envelope: parseEnvelope(r.body), transportError: null };
  } catch (error) {
    return { status: 0, envelope: null, transportError: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

function parseEnvelope(body: string): Envelope | null {
  try {
    return JSON.parse(body) as Envelope;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Walking zod schemas: a valid base input per method, and the paths of its fields.

type Def = Readonly<{
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: ReadonlyArray<z.ZodType>;
  values?: ReadonlyArray<unknown>;
  in?: z.ZodType;
}>;

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** A value the leaf schema accepts; strings are chosen by key (paths into the temp dir) and by trying a few candidates. */
function sampleOf(schema: z.ZodType, key: string, ctx: SampleContext): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(def.shape ?? {})) {
        out[k] = sampleOf(s, k, ctx);
      }
      return out;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return sampleOf(def.innerType as z.ZodType, key, ctx);
    case 'pipe':
      return sampleOf(def.in as z.ZodType, key, ctx);
    case 'array':
      return [sampleOf(def.element as z.ZodType, key, ctx)];
    case 'record':
      return {};
    case 'union':
      return sampleOf((def.options ?? [])[0] as z.ZodType, key, ctx);
    case 'enum':
      return (schema as unknown as { options: ReadonlyArray<unknown> }).options[0];
    case 'literal':
      return (def.values ?? [])[0];
    case 'boolean':
      return true;
    case 'number': {
      const n = schema as unknown as { minValue: number | null; maxValue: number | null };
      const min = n.minValue !== null && Number.isFinite(n.minValue) ? n.minValue : null;
      return min ?? 1;
    }
    case 'string': {
      const candidates = [ctx.stringFor(key), 'UTC', '#aabbcc', 'probe', '4xx'];
      return candidates.find((c) => schema.safeParse(c).success) ?? 'probe';
    }
    default:
      return null;
  }
}

type SampleContext = Readonly<{ stringFor: (key: string) => string }>;

/** Paths (as key lists) of every field of an object input, nested objects included. */
function fieldPaths(schema: z.ZodType, prefix: ReadonlyArray<string> = []): Array<ReadonlyArray<string>> {
  let def = defOf(schema);
  while (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch'].includes(def.type)) {
    def = defOf(def.innerType as z.ZodType);
  }
  if (def.type !== 'object') {
    return [];
  }
  const out: Array<ReadonlyArray<string>> = [];
  for (const [k, child] of Object.entries(def.shape ?? {})) {
    const path = [...prefix, k];
    out.push(path);
    out.push(...fieldPaths(child, path));
  }
  return out;
}

function withField(base: unknown, path: ReadonlyArray<string>, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const k of path.slice(0, -1)) {
    const next = node[k];
    if (typeof next !== 'object' || next === null) {
      node[k] = {};
    }
    node = node[k] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
  return copy;
}

const HUGE = 'A'.repeat(100_000);

/** Values that replace one field at a time. */
const FIELD_MUTATIONS: ReadonlyArray<readonly [string, unknown]> = [
  ['{}', {}],
  ['number', 42],
  ['negative', -1],
  ['float', 1.5],
  ['huge number', 1e308],
  ['100k string', HUGE],
  ['null', null],
  ['array', [[{}]]],
  ['boolean', true],
  ['empty string', ''],
];

/** Values that replace the whole input (sent as the raw JSON body's `input`). */
const WHOLE_MUTATIONS: ReadonlyArray<readonly [string, string]> = [
  ['input null', '{"input":null}'],
  ['input number', '{"input":42}'],
  ['input string', `{"input":"${'x'.repeat(1000)}"}`],
  ['input array', '{"input":[1,2,3]}'],
  ['unknown key', '{"input":{"zzUnknownKey":1}}'],
  ['__proto__ key', '{"input":{"__proto__":{"polluted":true}}}'],
  ['constructor key', '{"input":{"constructor":{"prototype":{"polluted":true}}}}'],
  ['deep nesting', `{"input":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`],
  ['body is an array', '[{"input":{}}]'],
  ['body is a string', '"input"'],
];

/** The token with its last character changed: never equal to it, whatever the token ends with. */
function wrongToken(token: string): string {
  const last = token.slice(-1);
  const wrong = `${token.slice(0, -1)}${last === 'x' ? 'y' : 'x'}`;
  if (wrong === token || wrong.length !== token.length) {
    throw new Error('wrongToken: not a different token of the same length');
  }
  return wrong;
}

describe('loopback server: every contract method against hostile requests', () => {
  let tmp: TempDir;
  let backend: Backend;
  let server: RunningHttpServer;
  let good: Record<string, string>;
  let casePath: string;
  let generated = 0;
  const counts = { methods: 0, transport: 0, mutations: 0, acceptedByContract: 0, badInput: 0, otherCodes: new Map<string, number>() };

  async function ensureOurCase(): Promise<void> {
    const current = await backend.handlers['cases.current']({});
    if (current?.path === casePath) {
      return;
    }
    await backend.handlers['cases.close']({});
    await backend.handlers['cases.open']({ path: casePath });
  }

  const ctx: SampleContext = {
    stringFor: (key) => {
      generated += 1;
      switch (key) {
        case 'path':
          return tmp.file(`generated-${generated}.dossier`);
        case 'folder':
          return tmp.file('evidence');
        case 'timeZone':
          return 'UTC';
        default:
          return 'probe';
      }
    },
  };

  beforeAll(async () => {
    tmp = makeTempDir('dossier-contract-fuzz-');
    mkdirSync(tmp.file('evidence'));
    writeFileSync(join(tmp.file('evidence'), 'access.log'), `${ACCESS}\n${ACCESS}\n`);
    backend = createBackend({
      appVersion: 'test', transport: 'http', nativeDialogs: false, userDataDir: tmp.file('ud'), defaultCaseDir: tmp.dir,
      sampleEvidenceDir: null, osUser: 'tester', emit: (n, p) => server.broadcast(n, p), now: () => new Date(), ingest: inProcessIngestPort(),
    });
    server = await startHttpServer({ dispatch: createDispatcher(backend.handlers), staticDir: null });
    good = { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
    casePath = tmp.file('fuzz.dossier');
    await backend.handlers['cases.create']({ path: casePath, name: 'Fuzz', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '' });
    await backend.ingest.runAndWait(tmp.file('evidence'), 'UTC', {});
  });
  afterAll(async () => {
    console.info(
      `[contract-fuzz] ${counts.methods} methods; ${counts.transport} transport cases; ${counts.mutations} wrong-typed inputs ` +
        `(${counts.badInput} bad_input, ${counts.acceptedByContract} accepted by the contract, other codes: ${JSON.stringify(Object.fromEntries(counts.otherCodes))})`,
    );
    await server.close();
    await backend.dispose();
    tmp.cleanup();
  });

  it('the wrong token differs from the token, also when the token ends with x', () => {
    expect(wrongToken('abcx')).toBe('abcy');
    expect(wrongToken('abcd')).toBe('abcx');
    expect(wrongToken(server.token)).not.toBe(server.token);
  });

  it('covers every method the contract declares', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(30);
    expect(new Set(METHOD_NAMES).size).toBe(METHOD_NAMES.length);
  });

  it.each(METHOD_NAMES.map((m) => [m]))('%s: refuses a request without the token, a wrong Host, a foreign Origin, text/plain, bad JSON', async (m) => {
    const path = `/rpc/${m}`;
    const body = JSON.stringify({ input: {} });
    const { Authorization: _a, ...noToken } = good;
    const cases: ReadonlyArray<readonly [string, CallOptions, number]> = [
      ['no token', { headers: noToken, body }, 401],
      ['wrong token', { headers: { ...good, Authorization: `Bearer ${wrongToken(server.token)}` }, body }, 401],
      ['token in query', { headers: noToken, body }, 401],
      ['wrong Host', { headers: { ...good, Host: `attacker.example:${server.port}` }, body }, 403],
      ['foreign Origin', { headers: { ...good, Origin: 'http://attacker.example' }, body }, 403],
      ['null Origin', { headers: { ...good, Origin: 'null' }, body }, 403],
      ['text/plain', { headers: { ...good, 'Content-Type': 'text/plain' }, body }, 415],
      ['form post', { headers: { ...good, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'input=1' }, 415],
      ['GET', { method: 'GET', headers: good }, 405],
    ];
    for (const [label, opts, status] of cases) {
      const target = label === 'token in query' ? `${path}?token=${server.token}` : path;
      const r = await call(server, target, opts);
      expect(r.status, `${m} ${label}`).toBe(status);
      expect(r.body).not.toMatch(STACK_TRACE);
      counts.transport += 1;
    }
    const bad = await call(server, path, { headers: good, body: '{"input": {nope' });
    expect(bad.status).toBe(400);
    expect(parseEnvelope(bad.body)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    counts.transport += 1;
    counts.methods += 1;
  });

  it.each(METHOD_NAMES.map((m) => [m]))('%s: wrong-typed input gets an envelope, bad_input when the contract refuses it, never internal', async (m) => {
    const schema = contract[m as MethodName].input as z.ZodType;
    // Host calls (native dialogs) have no handler on the HTTP back end: refused before validation.
    const served = Object.prototype.hasOwnProperty.call(backend.handlers, m);
    const base = sampleOf(schema, '', ctx);
    const tried: Array<Readonly<{ label: string; body: string; input: unknown; parsed: boolean }>> = [];
    for (const path of fieldPaths(schema)) {
      for (const [label, value] of FIELD_MUTATIONS) {
        const input = withField(base, path, value);
        tried.push({ label: `${path.join('.')} = ${label}`, body: JSON.stringify({ input }), input, parsed: true });
      }
    }
    for (const [label, body] of WHOLE_MUTATIONS) {
      tried.push({ label, body, input: null, parsed: false });
    }
    for (const t of tried) {
      await ensureOurCase();
      const r = await call(server, `/rpc/${m}`, { headers: good, body: t.body });
      const where = `${m}: ${t.label}`;
      expect(r.status, where).toBe(200);
      expect(r.body, where).not.toMatch(STACK_TRACE);
      const env = parseEnvelope(r.body);
      expect(env, where).not.toBeNull();
      const raw = t.parsed ? t.input : rawInputOf(t.body);
      const acceptable = schema.safeParse(raw ?? {}).success;
      if (!served) {
        expect(env, where).toMatchObject({ ok: false, error: { code: 'unsupported' } });
        counts.otherCodes.set('unsupported', (counts.otherCodes.get('unsupported') ?? 0) + 1);
      } else if (env?.ok === false) {
        expect(API_ERROR_CODES, where).toContain(env.error.code);
        expect(env.error.code, `${where}: ${env.error.message}`).not.toBe('internal');
        expect(env.error.message.length, where).toBeLessThan(2000);
        if (!acceptable) {
          expect(env.error.code, where).toBe('bad_input');
          counts.badInput += 1;
        } else {
          counts.otherCodes.set(env.error.code, (counts.otherCodes.get(env.error.code) ?? 0) + 1);
        }
      } else {
        expect(acceptable, `${where}: the contract refuses this input, yet the call succeeded`).toBe(true);
        counts.acceptedByContract += 1;
      }
      counts.mutations += 1;
    }
    // JSON.parse keeps "__proto__" as an own key; nothing may reach Object.prototype.
    expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('names unknown and odd method names not_found', async () => {
    for (const name of ['no.such', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'cases.open%00', 'CASES.OPEN', 'a'.repeat(5000)]) {
      const r = await call(server, `/rpc/${name}`, { headers: good, body: '{}' });
      expect(r.status, name).toBe(200);
      const env = parseEnvelope(r.body);
      expect(env, name).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(r.body.length).toBeLessThan(500);
      counts.transport += 1;
    }
  });

  it('refuses a body over 16 MiB without crashing, and answers the next call', async () => {
    const oversized = Buffer.alloc(17 * 1024 * 1024, 0x20);
    oversized.write('{"input":{"path":"', 0);
    const outcome = await callTolerant(server, '/rpc/cases.open', { headers: good, body: oversized });
    // Either an error status with the envelope, or the connection is cut: never a 200 or a 500.
    if (outcome.transportError === null) {
      expect(outcome.status).toBeGreaterThanOrEqual(400);
      expect(outcome.status).toBeLessThan(500);
      expect(outcome.envelope).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    } else {
      expect(outcome.transportError).toMatch(/ECONNRESET|EPIPE|socket hang up/u);
    }
    console.info(`[contract-fuzz] 17 MiB body: ${outcome.transportError ?? `HTTP ${outcome.status} ${JSON.stringify(outcome.envelope)}`}`);
    const after = await call(server, '/rpc/app.info', { headers: good, body: '{}' });
    expect(after.status).toBe(200);
    expect(parseEnvelope(after.body)).toMatchObject({ ok: true });
    counts.transport += 1;
  });

  it('a body just under the limit is read and validated (not refused as too large)', async () => {
    const input = JSON.stringify({ input: { path: 'x'.repeat(15 * 1024 * 1024) } });
    const r = await call(server, '/rpc/cases.open', { headers: good, body: input });
    expect(r.status).toBe(200);
    expect(parseEnvelope(r.body)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(r.body.length).toBeLessThan(2000);
    counts.transport += 1;
  });
});

/**
 * Bugs this suite found (both fixed in http-server.ts): each test states the behaviour we want.
 * They stay as regression tests.
 */
describe('loopback server: robustness (bugs found by this suite, fixed)', () => {
  let tmp: TempDir;
  let server: RunningHttpServer;
  let host: string;

  beforeAll(async () => {
    tmp = makeTempDir('dossier-http-known-');
    writeFileSync(tmp.file('index.html'), '<!doctype html><title>x</title>');
    server = await startHttpServer({ dispatch: () => Promise.resolve({ ok: true, value: null }), staticDir: tmp.dir });
    host = `127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('a malformed percent-encoding in a page path answers 4xx, not 500 with a stack trace in the log', async () => {
    // Any web page can send this (an <img> GET carries the right Host and no Origin).
    const r = await call(server, '/%E0%A4%A', { method: 'GET', headers: { Host: host } });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });

  it('refusing an oversized body answers 413 and closes the connection, so a keep-alive client is not reset on its next call', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const headers = { Host: host, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
    const send = (body: Buffer): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path: '/rpc/app.info', method: 'POST', headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      expect(await send(Buffer.alloc(17 * 1024 * 1024, 0x20))).toBe(413);
      expect(await send(Buffer.from('{}'))).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});

function rawInputOf(body: string): unknown {
  const parsed = parseEnvelope(body) as unknown;
  return typeof parsed === 'object' && parsed !== null && 'input' in parsed ? (parsed as { input: unknown }).input : {};
}
