/**
 * No network from the back end: the standalone server (the same bundles as dist-electron/server.js,
 * backend.worker.js and ingest.worker.js, built fresh here) runs under a preload that records every
 * outbound connect, DNS look-up and UDP socket of the process and of its worker threads
 * (electron/testing/network-recorder.cjs). A full run over HTTP (create, ingest the sample folder,
 * timeline queries, detail, context, tags, comment, export CSV and JSONL, views, audit, save as,
 * the sample case) and then a call to every method of the contract with a valid input built from
 * its schema must record no attempt to anything but loopback.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, type MethodName } from '../../../shared/api/contract';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { REPO_ROOT } from '../../testing/bundle';
import { sampleInput } from '../../testing/contract-samples';

const HOOK = join(REPO_ROOT, 'electron', 'testing', 'network-recorder.cjs');
const SAMPLE = join(REPO_ROOT, 'resources', 'sample-case');

type NetRecord = Readonly<{ pid: number; threadId: number; kind: string; target: string; loopback: boolean }>;
type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

function readLog(file: string): NetRecord[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as NetRecord)
    : [];
}

async function bundleServer(): Promise<string> {
  mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
  const outdir = mkdtempSync(join(REPO_ROOT, '.tmp', 'no-outbound-'));
  await build({
    entryPoints: {
      server: join(REPO_ROOT, 'electron/server/standalone/standalone.ts'),
      'backend.worker': join(REPO_ROOT, 'electron/workers/backend/backend.worker.ts'),
      'ingest.worker': join(REPO_ROOT, 'electron/workers/ingest/ingest.worker.ts'),
    },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['electron', 'better-sqlite3'],
    nodePaths: [join(REPO_ROOT, 'node_modules')],
    define: { __DOSSIER_VERSION__: '"0.0.0-test"' },
    logLevel: 'error',
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  });
  return outdir;
}

describe('the back end makes no outbound connection', () => {
  let tmp: TempDir;
  let outdir: string;
  let child: ChildProcess;
  let exited: Promise<void>;
  let base = '';
  let token = '';
  let output = '';
  const log = (): string => tmp.file('net.jsonl');
  const calls = { total: 0, ok: 0, refused: 0 };

  async function rpc(method: string, input: unknown = {}): Promise<Envelope> {
    const response = await fetch(`${base}/rpc/${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ input }),
    });
    const envelope = (await response.json()) as Envelope;
    calls.total += 1;
    calls[envelope.ok ? 'ok' : 'refused'] += 1;
    return envelope;
  }

  async function value<T>(method: string, input: unknown = {}): Promise<T> {
    const envelope = await rpc(method, input);
    if (!envelope.ok) {
      throw new Error(`${method}: ${envelope.error.message}`);
    }
    return envelope.value as T;
  }

  async function ingestIdle(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while ((await value<{ running: boolean }>('ingest.status')).running) {
      if (Date.now() > deadline) {
        throw new Error('the ingest did not finish in 60 s');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    tmp = makeTempDir('dossier-no-outbound-');
    outdir = await bundleServer();
    const ready = tmp.file('ready.json');
    child = spawn(process.execPath, ['--require', HOOK, join(outdir, 'server.js'), '--ready-file', ready], {
      cwd: REPO_ROOT,
      env: { ...process.env, DOSSIER_USER_DATA: tmp.file('ud'), DOSSIER_NET_LOG: log() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    while (!existsSync(ready)) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`the server did not start:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 50));
    const info = JSON.parse(readFileSync(ready, 'utf8')) as { url: string; token: string };
    base = info.url;
    token = info.token;
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(outdir, { recursive: true, force: true });
    tmp.cleanup();
  });

  it('a full run over HTTP, then every contract method: only loopback, in the server and in its workers', async () => {
    const casePath = tmp.file('cases/run.dossier');
    await value('cases.create', { path: casePath, name: 'Network check', timeZone: 'Europe/Berlin' });
    await value('ingest.scan', { folder: SAMPLE });
    await value('ingest.start', { folder: SAMPLE });
    await ingestIdle();
    const status = await value<{ last: { status: string; lines: number } | null; error: string | null }>('ingest.status');
    expect(status.error).toBeNull();
    expect(status.last?.status).toBe('complete');
    expect(status.last?.lines ?? 0).toBeGreaterThan(100);

    const page = await value<{ rows: Array<{ id: number }> }>('timeline.page', { filter: {}, limit: 50 });
    expect(page.rows.length).toBeGreaterThan(0);
    const first = page.rows[0]?.id ?? 1;
    await value('timeline.histogram', { filter: {}, buckets: 60 });
    await value('timeline.facet', { filter: {}, field: 'src_ip' });
    await value('timeline.page', { filter: { text: 'GET' }, limit: 20 });
    await value('events.detail', { id: first });
    await value('events.context', { id: first });
    await value('events.tag', { ids: [first], tag: 'checked' });
    await value('events.comment', { id: first, body: 'see https://example.com/ — a link in a comment is text, never fetched' });
    mkdirSync(tmp.file('out'));
    await value('timeline.export', { filter: {}, format: 'csv', path: tmp.file('out/all.csv') });
    await value('timeline.export', { filter: {}, format: 'jsonl', path: tmp.file('out/all.jsonl') });
    await value('views.save', { name: 'all', state: '{}' });
    await value('audit.verify');
    await value('cases.saveAs', { path: tmp.file('cases/copy.dossier') });

    // Every method of the contract, in contract order, with a valid input built from its schema
    // (a method another area adds later is called here too).
    let generated = 0;
    const ctx = {
      stringFor: (key: string): string | undefined => {
        generated += 1;
        switch (key) {
          case 'path':
            return tmp.file(`cases/generated-${generated}.dossier`);
          case 'folder':
            return SAMPLE;
          case 'timeZone':
            return 'UTC';
          default:
            return undefined;
        }
      },
      numberFor: (key: string): number | undefined => (key === 'id' ? first : undefined),
    };
    const methods = METHOD_NAMES.filter((m) => m !== 'cases.close');
    for (const m of methods) {
      await rpc(m, sampleInput(contract[m as MethodName].input as z.ZodType, ctx));
      await ingestIdle();
    }
    await value('cases.openSample');
    await ingestIdle();
    await value('timeline.page', { filter: {}, limit: 10 });
    await value('cases.close');

    child.kill('SIGTERM');
    await exited;

    const records = readLog(log());
    const threads = new Set(records.filter((r) => r.kind === 'loaded').map((r) => r.threadId));
    // the main thread, the back-end worker and at least one ingest worker ran under the recorder
    expect(threads.size, 'threads that loaded the recorder').toBeGreaterThanOrEqual(3);
    const outbound = records.filter((r) => r.kind !== 'loaded' && !r.loopback);
    expect(outbound).toEqual([]);
    console.info(`[no-outbound] ${calls.total} API calls (${calls.ok} ok, ${calls.refused} refused), ${METHOD_NAMES.length} contract methods, ${threads.size} threads recorded, ${records.length - threads.size} network records, 0 outbound`);
  }, 180_000);

  it('the recorder sees an outbound attempt (so an empty record above means something)', () => {
    const file = tmp.file('canary.jsonl');
    const script = [
      "const net = require('node:net'); const dns = require('node:dns');",
      "const s = net.connect(80, '203.0.113.9'); s.on('error', () => {}); s.destroy();",
      "dns.lookup('update.example.invalid', () => {});",
    ].join('\n');
    writeFileSync(tmp.file('canary.cjs'), script);
    const r = spawnSync(process.execPath, ['--require', HOOK, tmp.file('canary.cjs')], { env: { ...process.env, DOSSIER_NET_LOG: file }, encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(0);
    const outbound = readLog(file).filter((x) => !x.loopback);
    expect(outbound.map((x) => `${x.kind} ${x.target}`)).toEqual(['connect 203.0.113.9:80', 'dns.lookup update.example.invalid']);
  });
});
