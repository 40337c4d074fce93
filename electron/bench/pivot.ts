/**
 * Pivot benchmark (`node scripts/bench-pivot.mjs [--size 1m]`): the real service path (dispatcher →
 * pivot service → SQL) on a large case holding a generated access log and a generated auth.log.
 * Times pivot.entity / pivot.timeline on the busiest address, an ordinary one, their /24 and /16, the
 * busiest users, and pivot.sessions (cold: rebuilt from the auth events; warm: cached) and
 * pivot.session. Prints JSON.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { closeCaseFile, createCaseFile } from '../db/case-file';
import { createBackend } from '../services/registry/create-handlers';
import { createDispatcher } from '../services/registry/dispatch';
import { inProcessIngestPort } from '../workers/ingest/ingest-port';
import { runIngestJob } from '../workers/ingest/run-ingest-job';

const [accessFolder, authFolder, casePath] = process.argv.slice(2);
if (accessFolder === undefined || authFolder === undefined || casePath === undefined) {
  console.error('usage: pivot.js <access-log-folder> <auth-log-folder> <case.dossier>');
  process.exit(2);
}

async function main(): Promise<void> {
  const path = casePath as string;
  if (!existsSync(path)) {
    const open = createCaseFile({ path, name: 'pivot bench', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 'bench', appVersion: 'bench' });
    closeCaseFile(open);
    for (const root of [accessFolder as string, authFolder as string]) {
      const t = performance.now();
      const s = await runIngestJob({ dbPath: path, options: { root, timeZone: 'UTC' } });
      console.error(`ingested ${s.lines} lines of ${root} in ${Math.round(performance.now() - t)} ms`);
    }
  }
  // the entities to pivot on, picked from the case itself
  const ro = new Database(path, { readonly: true });
  const ips = ro.prepare('SELECT i.text AS ip, count(*) AS n FROM events e JOIN ips i ON i.id = e.src_ip GROUP BY e.src_ip ORDER BY n DESC').all() as Array<{ ip: string; n: number }>;
  const users = ro.prepare('SELECT s.value AS user, count(*) AS n FROM events e JOIN strings s ON s.id = e.user GROUP BY e.user ORDER BY n DESC LIMIT 3').all() as Array<{ user: string; n: number }>;
  const events = (ro.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  ro.close();
  const top = ips[0];
  const median = ips[Math.floor(ips.length / 2)];
  if (top === undefined || median === undefined) {
    throw new Error('no addresses in the case');
  }
  const v4 = top.ip.split('.');
  const backend = createBackend({
    appVersion: 'bench', transport: 'http', nativeDialogs: false, userDataDir: join(path, '..', 'ud'), defaultCaseDir: '/tmp',
    sampleEvidenceDir: null, osUser: 'bench', emit: () => undefined, now: () => new Date(), ingest: inProcessIngestPort(),
  });
  const call = createDispatcher(backend.handlers);
  const opened = await call('cases.open', { path });
  if (!opened.ok) {
    throw new Error(opened.error.message);
  }
  const timed = async (method: string, input: unknown): Promise<{ ms: number; value: unknown }> => {
    const t = performance.now();
    const r = await call(method, input);
    const ms = Math.round((performance.now() - t) * 10) / 10;
    if (!r.ok) {
      throw new Error(`${method}: ${r.error.message}`);
    }
    return { ms, value: r.value };
  };
  const results: Record<string, unknown> = { events, addresses: ips.length };
  const entities: Array<[string, { kind: string; value: string }, number | null]> = [
    ['ip.busiest', { kind: 'ip', value: top.ip }, top.n],
    ['ip.median', { kind: 'ip', value: median.ip }, median.n],
    ['ip.slash24', { kind: 'ip', value: `${v4.slice(0, 3).join('.')}.0/24` }, null],
    ['ip.slash16', { kind: 'ip', value: `${v4.slice(0, 2).join('.')}.0.0/16` }, null],
    ...users.map((u, i): [string, { kind: string; value: string }, number] => [`user.${i + 1}`, { kind: 'user', value: u.user }, u.n]),
  ];
  for (const [name, entity, n] of entities) {
    const e = await timed('pivot.entity', entity);
    const t = await timed('pivot.timeline', { entity, buckets: 80 });
    results[name] = { value: entity.value, events: n ?? (e.value as { total: number }).total, entityMs: e.ms, timelineMs: t.ms };
  }
  const cold = await timed('pivot.sessions', {});
  const warm = await timed('pivot.sessions', {});
  const list = cold.value as { total: number; sessions: Array<{ id: number; commandCount: number }> };
  const withCommands = list.sessions.find((s) => s.commandCount > 0) ?? list.sessions[0];
  const one = withCommands === undefined ? null : await timed('pivot.session', { id: withCommands.id });
  results['sessions'] = { total: list.total, coldMs: cold.ms, warmMs: warm.ms, sessionMs: one?.ms ?? null };
  console.log(JSON.stringify(results, null, 2));
  await backend.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
