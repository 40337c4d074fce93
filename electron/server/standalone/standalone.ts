/**
 * Browser mode: the back end in a worker, served over the loopback HTTP transport, with the built
 * renderer. Used by `npm run serve`, by `npm start` when Electron cannot run, and by the e2e tests.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Envelope } from '../../../shared/api/errors';
import type { Dispatch } from '../../services/registry/dispatch';
import { APP_VERSION, appRoot, defaultCaseDir, osUser, sampleEvidenceDir, userDataDir } from '../../services/app-paths';
import { startBackendWorker } from '../../workers/backend/backend-host';
import { startHttpServer } from '../http/http-server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'open-sample': { type: 'boolean', default: false },
      'prepare-sample': { type: 'boolean', default: false },
      'ready-file': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const root = appRoot();
  const dataDir = userDataDir();
  mkdirSync(dataDir, { recursive: true });
  const backend = await startBackendWorker(new URL('./backend.worker.js', import.meta.url), {
    appVersion: APP_VERSION,
    transport: 'http',
    nativeDialogs: false,
    userDataDir: dataDir,
    defaultCaseDir: defaultCaseDir(),
    sampleEvidenceDir: sampleEvidenceDir(root),
    osUser: osUser(),
    pdf: 'chromium',
  });
  // Browser mode has no native dialogs: the UI shows a path field instead.
  const dispatch: Dispatch = async (method, input): Promise<Envelope<unknown>> =>
    method.startsWith('dialog.') ? { ok: true, value: { path: null } } : backend.dispatch(method, input);
  const server = await startHttpServer({
    dispatch,
    staticDir: join(root, 'dist', 'renderer'),
    ...(values.port !== undefined ? { port: Number(values.port) } : {}),
  });
  backend.onEvent((name, payload) => server.broadcast(name, payload));
  if (values['open-sample'] === true || values['prepare-sample'] === true) {
    // Prepares the bundled sample case (created and ingested on first use); --prepare-sample closes it
    // again so the start screen offers it, --open-sample leaves it open.
    const opened = await backend.dispatch('cases.openSample', {});
    if (!opened.ok) {
      console.error(`Could not prepare the sample case: ${opened.error.message}`);
    } else if (values['prepare-sample'] === true) {
      await backend.dispatch('cases.close', {});
    }
  }
  console.log(`Dossier is running in browser mode. Open this address in Chromium or Firefox:\n\n  ${server.appUrl}\n\nPress Ctrl-C to stop.`);
  if (values['ready-file'] !== undefined) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(values['ready-file'], JSON.stringify({ url: server.url, token: server.token, appUrl: server.appUrl }));
  }
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) {
      return;
    }
    stopping = true;
    await server.close();
    await backend.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`Dossier could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
