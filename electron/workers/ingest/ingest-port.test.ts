import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../db/testing/test-db';
import { INGEST_JOB_YOUNG_GENERATION_MB, ingestWorkerLimits, workerIngestPort } from './ingest-port';

describe("the ingest worker's limits", () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it('gives the job a 12 MB young generation unless the caller sets its own', () => {
    expect(INGEST_JOB_YOUNG_GENERATION_MB).toBe(12);
    expect(ingestWorkerLimits()).toEqual({ maxYoungGenerationSizeMb: 12 });
    expect(ingestWorkerLimits({ maxOldGenerationSizeMb: 24 })).toEqual({ maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 24 });
    expect(ingestWorkerLimits({ maxYoungGenerationSizeMb: 1 })).toEqual({ maxYoungGenerationSizeMb: 1 });
  });

  it("needs a worker's own limits: a process-wide semi-space flag would shrink every worker's young generation too", () => {
    // Why the benchmark starts the job as a worker (electron/bench/runner.ts) instead of giving its main
    // thread --max-semi-space-size: V8's flag wins over the parse worker's own 16 MB (parse-client.ts).
    const file = tmp.file('young.mjs');
    writeFileSync(
      file,
      "import { Worker, isMainThread, parentPort } from 'node:worker_threads';\n" +
        "import v8 from 'node:v8';\n" +
        "if (isMainThread) { const w = new Worker(new URL(import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 16 } }); w.on('message', (m) => { process.stdout.write(String(m)); w.terminate(); }); }\n" +
        "else { let a = []; for (let i = 0; i < 2000000; i++) { a.push({ i, s: 'x' + i }); if (a.length > 1000) a = []; }\n" +
        "  parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size); }\n",
    );
    const newSpace = (flags: string[]): number => Number(execFileSync(process.execPath, [...flags, file], { encoding: 'utf8' }));
    const own = newSpace([]);
    const flagged = newSpace(['--max-semi-space-size=4']);
    expect(own).toBeGreaterThan(flagged);
    expect(flagged).toBeLessThanOrEqual(8 * 1048576);
  });

  it('starts the job in a worker that has those limits', async () => {
    // A stand-in for ingest.worker.js that answers the start message with its own limits.
    const file = tmp.file('limits.worker.mjs');
    writeFileSync(
      file,
      "import { parentPort, resourceLimits } from 'node:worker_threads';\n" +
        "parentPort.on('message', () => { parentPort.postMessage({ type: 'done', summary: resourceLimits }); parentPort.close(); });\n",
    );
    const run = (port: ReturnType<typeof workerIngestPort>): Promise<unknown> =>
      port.run({ dbPath: 'x.dossier', root: '.', timeZone: 'UTC', files: {} }, { signal: new AbortController().signal, onProgress: () => undefined });
    expect(await run(workerIngestPort(file))).toMatchObject({ maxYoungGenerationSizeMb: 12 });
    expect(await run(workerIngestPort(file, { resourceLimits: { maxOldGenerationSizeMb: 64 } }))).toMatchObject({ maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 64 });
  });
});
