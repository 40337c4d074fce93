/**
 * `node .bench/dist/ingest-launcher.js ingest <case.dossier> <folder> [--tz UTC] [--batch-rows N]`: the
 * benchmark's ingest as the app runs it. runner.js's `ingest` runs in a worker thread started with the app's
 * ingest worker limits (`ingestWorkerLimits`: the job's young generation), and the parse worker it starts
 * keeps its own (parse-client.ts). This thread loads none of the engine: besides the job, the process holds
 * only what the app's worker model adds to it, one more isolate, idle. Its result lines are written here.
 *
 * Until session 9 the job ran on the runner's main thread with `--max-semi-space-size` standing in for the
 * worker's limits; V8's flags are global, so that also halved the parse worker's young generation, which
 * the app does not do (docs/PERFORMANCE.md, session 10).
 */
import { Worker } from 'node:worker_threads';
import { ingestWorkerLimits } from '../workers/ingest/job-limits';

const worker = new Worker(new URL('./runner.js', import.meta.url), { argv: process.argv.slice(2), resourceLimits: ingestWorkerLimits() });
let failed = false;
worker.on('message', (line: unknown) => {
  if (typeof line === 'string') {
    process.stdout.write(line);
  }
});
worker.on('error', (e) => {
  failed = true;
  process.stderr.write(`${e.stack ?? e.message}\n`);
});
worker.on('exit', (code) => {
  process.exitCode = failed || code !== 0 ? 1 : 0;
});
