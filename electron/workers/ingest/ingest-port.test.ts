import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../db/testing/test-db';
import { INGEST_JOB_YOUNG_GENERATION_MB, ingestWorkerLimits, semiSpaceFlag, workerIngestPort } from './ingest-port';

describe("the ingest worker's limits", () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it('gives the job a 12 MB young generation unless the caller sets its own', () => {
    expect(INGEST_JOB_YOUNG_GENERATION_MB).toBe(12);
    expect(ingestWorkerLimits()).toEqual({ maxYoungGenerationSizeMb: 12 });
    expect(ingestWorkerLimits({ maxOldGenerationSizeMb: 24 })).toEqual({ maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 24 });
    expect(ingestWorkerLimits({ maxYoungGenerationSizeMb: 1 })).toEqual({ maxYoungGenerationSizeMb: 1 });
  });

  it("gives the benchmark's main thread the same young generation (three semi-spaces)", () => {
    expect(semiSpaceFlag()).toBe('--max-semi-space-size=4');
    expect(semiSpaceFlag(48)).toBe('--max-semi-space-size=16');
    expect(semiSpaceFlag(1)).toBe('--max-semi-space-size=1');
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
