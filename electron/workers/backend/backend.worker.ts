/**
 * The back-end worker: owns the case database connection and serves every contract call, so no
 * SQLite work ever runs on the Electron main thread (or the HTTP server's event loop).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createBackend } from '../../services/registry/create-handlers';
import { createDispatcher } from '../../services/registry/dispatch';
import { workerIngestPort } from '../ingest/ingest-port';
import { chromiumPdfPrinter } from '../../services/report/pdf-chromium';
import type { BackendWorkerConfig, FromBackend, ToBackend } from './protocol';

const port = parentPort;
if (port === null) {
  throw new Error('backend.worker must run in a worker thread');
}
const config = workerData as BackendWorkerConfig;
const post = (message: FromBackend): void => port.postMessage(message);

const backend = createBackend({
  ...config,
  emit: (name, payload) => post({ type: 'event', name, payload }),
  now: () => new Date(),
  ingest: workerIngestPort(new URL('./ingest.worker.js', import.meta.url)),
  ...(config.pdf === 'chromium' ? { printPdf: chromiumPdfPrinter() } : {}),
});
const dispatch = createDispatcher(backend.handlers);

port.on('message', (message: ToBackend) => {
  switch (message.type) {
    case 'call':
      void dispatch(message.method, message.input).then((envelope) => post({ type: 'result', seq: message.seq, envelope }));
      return;
    case 'shutdown':
      void backend.dispose().finally(() => {
        post({ type: 'closed' });
        port.close();
      });
      return;
    default:
      return;
  }
});
post({ type: 'ready' });
