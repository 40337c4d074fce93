/** The ingest worker: one job per worker, its own SQLite connection, progress and cancel by message. */
import { parentPort } from 'node:worker_threads';
import { describeIngestFailure } from './ingest-errors';
import type { FromIngestWorker, ToIngestWorker } from './protocol';
import { fullIntegrityCheck, runIngestJob } from './run-ingest-job';

const port = parentPort;
if (port === null) {
  throw new Error('ingest.worker must run in a worker thread');
}
const post = (m: FromIngestWorker): void => port.postMessage(m);
const controller = new AbortController();

port.on('message', (m: ToIngestWorker) => {
  if (m.type === 'cancel') {
    controller.abort(new Error('cancelled by the analyst'));
    return;
  }
  if (m.type === 'check') {
    post({ type: 'checked', result: fullIntegrityCheck(m.dbPath) });
    port.close();
    return;
  }
  runIngestJob(m.job, { signal: controller.signal, onProgress: (progress) => post({ type: 'progress', progress }) })
    .then((summary) => post({ type: 'done', summary }))
    .catch((error: unknown) => post({ type: 'error', message: describeIngestFailure(error) }))
    .finally(() => port.close());
});
