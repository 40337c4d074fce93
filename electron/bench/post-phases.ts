/**
 * Re-runs one post-ingest phase on an already ingested case (a copy: it is modified), for profiling
 * one phase without the ingest before it (bundled by scripts/bench.mjs next to the runner):
 *
 *   node [--cpu-prof] .bench/dist/post-phases.js <case.dossier> <phase>[,<phase>…] [--repeat N]
 *
 * Phases: the names of POST_INGEST_PHASES (index_*, analyze, uniqueIds, findings, fts, checkpoint),
 * or `indexes` (every index and ANALYZE); several, comma-separated, run in order in one process (to
 * see one phase after another, as in the job). What a phase built before is dropped just before it runs
 * (the UNIQUE_ID cache, the full-text index, the timeline indexes), so each run does the whole work
 * again. Prints one JSON line per phase and run: wall and CPU ms, RSS after.
 */
import Database from 'better-sqlite3';
import { asWritable, type WritableDb } from '../db/connection/sql';
import { POST_INGEST_PHASES, configureIngestConnection, type PostIngestContext } from '../workers/ingest/run-ingest-job';
import { TIMELINE_INDEXES } from '../workers/ingest/post-ingest';

function reset(db: WritableDb, phase: string): void {
  if (phase === 'uniqueIds') {
    db.exec('DELETE FROM uid_events; DELETE FROM uid_pieces; DELETE FROM uid_evidence; DELETE FROM uid_children;');
  } else if (phase === 'fts') {
    // external content: 'delete-all' empties the index without reading the rows back
    db.exec("INSERT INTO events_fts (events_fts) VALUES ('delete-all'); DELETE FROM kv WHERE key = 'fts_indexed_upto';");
  } else if (phase === 'indexes' || phase.startsWith('index_')) {
    for (const ix of TIMELINE_INDEXES) {
      if (phase === 'indexes' || phase === `index_${ix.name}`) {
        db.exec(`DROP INDEX IF EXISTS ${ix.name}`);
      }
    }
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
}

async function main(): Promise<void> {
  const [casePath, phase, ...rest] = process.argv.slice(2);
  if (casePath === undefined || phase === undefined) {
    throw new Error('usage: post-phases.js <case.dossier> <phase> [--repeat N]');
  }
  const i = rest.indexOf('--repeat');
  const repeat = i >= 0 ? Number(rest[i + 1] ?? 1) : 1;
  // several phases, comma-separated, run in that order in this one process (each reset first, timed apart)
  const groups = phase.split(',').map((g) => {
    const names = g === 'indexes' ? POST_INGEST_PHASES.filter((p) => p.name.startsWith('index_') || p.name === 'analyze').map((p) => p.name) : [g];
    return {
      name: g,
      phases: names.map((n) => {
        const p = POST_INGEST_PHASES.find((x) => x.name === n);
        if (p === undefined) {
          throw new Error(`unknown phase ${n} (${POST_INGEST_PHASES.map((x) => x.name).join(', ')}, indexes)`);
        }
        return p;
      }),
    };
  });
  const raw = new Database(casePath, { fileMustExist: true, timeout: 15_000 });
  configureIngestConnection(raw);
  const db = asWritable(raw);
  const ctx: PostIngestContext = { db, progress: () => undefined };
  for (let r = 0; r < repeat; r++) {
    for (const g of groups) {
      reset(db, g.name);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (const p of g.phases) {
        await p.run(ctx);
      }
      const wallMs = Math.round(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      process.stdout.write(`${JSON.stringify({ phase: g.name, run: r + 1, wallMs, cpuMs: Math.round((cpu.user + cpu.system) / 1000), rssMb: Math.round(process.memoryUsage().rss / 1048576) })}\n`);
    }
  }
  raw.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
