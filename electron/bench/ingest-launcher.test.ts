import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../db/testing/test-db';
import { INGEST_JOB_YOUNG_GENERATION_MB } from '../workers/ingest/job-limits';

describe("the benchmark's ingest launcher", () => {
  const tmp = makeTempDir();
  const launcher = tmp.file('ingest-launcher.js');
  beforeAll(async () => {
    await build({ entryPoints: [resolve(__dirname, 'ingest-launcher.ts')], outfile: launcher, bundle: true, platform: 'node', format: 'esm', logLevel: 'error' });
  });
  afterAll(() => tmp.cleanup());

  const run = (runner: string): ReturnType<typeof spawnSync> => {
    writeFileSync(tmp.file('runner.js'), runner);
    return spawnSync(process.execPath, [launcher, 'ingest', 'case.dossier', 'folder', '--tz', 'UTC'], { encoding: 'utf8' });
  };

  it("runs runner.js beside it in a worker with the app's ingest limits, passing the arguments and writing its result lines", () => {
    // a stand-in runner: reports where it runs and with which limits, as the real one reports its result
    const r = run(
      "import { isMainThread, parentPort, resourceLimits } from 'node:worker_threads';\n" +
        "parentPort.postMessage(JSON.stringify({ argv: process.argv.slice(2), isMainThread, young: resourceLimits.maxYoungGenerationSizeMb }) + '\\n');\n",
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(String(r.stdout).trim())).toEqual({ argv: ['ingest', 'case.dossier', 'folder', '--tz', 'UTC'], isMainThread: false, young: INGEST_JOB_YOUNG_GENERATION_MB });
  });

  it('fails when the job fails', () => {
    const r = run("throw new Error('the job broke');\n");
    expect(r.status).toBe(1);
    expect(String(r.stderr)).toContain('the job broke');
  });
});
