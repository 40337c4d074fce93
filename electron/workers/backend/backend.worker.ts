/**
 * The back-end worker: owns the case database connection and serves every contract call, so no
 * SQLite work ever runs on the Electron main thread (or the HTTP server's event loop).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createBackend } from '../../services/registry/create-handlers';
import { createDispatcher } from '../../services/registry/dispatch';
import { workerIngestPort } from '../ingest/ingest-port';
import { chromiumPdfPrinter } from '../../services/report/pdf-chromium';
import type { PdfPrinter } from '../../services/report/pdf-printer';
import type { BackendWorkerConfig, FromBackend, ToBackend } from './protocol';

const port = parentPort;
if (port === null) {
  throw new Error('backend.worker must run in a worker thread');
}
const config = workerData as BackendWorkerConfig;
const post = (message: FromBackend): void => port.postMessage(message);

// Report PDFs printed by the host (Electron): one request per report, answered with the bytes.
const printing = new Map<number, { resolve: (pdf: Uint8Array) => void; reject: (error: Error) => void }>();
let printSeq = 0;
const hostPrinter: PdfPrinter = (job) =>
  new Promise((resolve, reject) => {
    printSeq += 1;
    printing.set(printSeq, { resolve, reject });
    post({ type: 'print', id: printSeq, job: { html: job.html, paper: job.paper, files: [...job.files] } });
  });

const backend = createBackend({
  ...config,
  emit: (name, payload) => post({ type: 'event', name, payload }),
  now: () => new Date(),
  ingest: workerIngestPort(new URL('./ingest.worker.js', import.meta.url)),
  ...(config.pdf === 'chromium' ? { printPdf: chromiumPdfPrinter() } : config.pdf === 'host' ? { printPdf: hostPrinter } : {}),
});
const dispatch = createDispatcher(backend.handlers);

port.on('message', (message: ToBackend) => {
  switch (message.type) {
    case 'call':
      void dispatch(message.method, message.input).then((envelope) => post({ type: 'result', seq: message.seq, envelope }));
      return;
    case 'printed': {
      const waiting = printing.get(message.id);
      printing.delete(message.id);
      if (message.pdf !== null) {
        waiting?.resolve(message.pdf);
      } else {
        waiting?.reject(new Error(message.error ?? 'printing failed'));
      }
      return;
    }
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
