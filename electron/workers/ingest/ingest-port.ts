import { Worker, type ResourceLimits } from 'node:worker_threads';
import { ingestWorkerLimits } from './job-limits';
import type { IngestSummary } from '../../../shared/domain/evidence';
import type { IngestPort } from '../../services/ports/ports';
import { describeIngestFailure } from './ingest-errors';
import type { FromIngestWorker, ToIngestWorker } from './protocol';
import { fullIntegrityCheck, runIngestJob } from './run-ingest-job';
import { scanFolder } from './scan';

export { INGEST_JOB_YOUNG_GENERATION_MB, ingestWorkerLimits } from './job-limits';

/** Ingest in this thread (CLI, tests): the caller has no UI to keep responsive. */
export function inProcessIngestPort(): IngestPort {
  return {
    scan: scanFolder,
    integrityCheck: async (dbPath) => fullIntegrityCheck(dbPath),
    run: (job, hooks) =>
      runIngestJob({ dbPath: job.dbPath, options: { root: job.root, timeZone: job.timeZone, files: job.files, ...(job.batchRows === undefined ? {} : { batchRows: job.batchRows }) } }, hooks).catch(
        (error: unknown) => {
          throw new Error(describeIngestFailure(error), { cause: error });
        },
      ),
  };
}

/**
 * Ingest in a worker thread per job (the app): parsing and SQLite writes never touch the caller's
 * thread, with the job's young generation (`ingestWorkerLimits`). `resourceLimits` is for the
 * fault-injection tests (a worker that runs out of memory).
 */
export function workerIngestPort(workerFile: URL | string, options: Readonly<{ resourceLimits?: ResourceLimits }> = {}): IngestPort {
  return {
    scan: scanFolder,
    integrityCheck: (dbPath) =>
      new Promise<string>((resolve) => {
        const worker = new Worker(workerFile);
        worker.on('message', (m: FromIngestWorker) => {
          if (m.type === 'checked') {
            resolve(m.result);
          }
        });
        worker.on('error', (e) => resolve(`the check could not run: ${e.message}`));
        worker.on('exit', () => resolve('the check stopped before it finished'));
        const msg: ToIngestWorker = { type: 'check', dbPath };
        worker.postMessage(msg);
      }),
    run: (job, hooks) =>
      new Promise<IngestSummary>((resolve, reject) => {
        const worker = new Worker(workerFile, { resourceLimits: ingestWorkerLimits(options.resourceLimits) });
        let settled = false;
        const settle = (fn: () => void): void => {
          if (!settled) {
            settled = true;
            fn();
          }
        };
        const onAbort = (): void => {
          const m: ToIngestWorker = { type: 'cancel' };
          worker.postMessage(m);
        };
        hooks.signal.addEventListener('abort', onAbort, { once: true });
        worker.on('message', (m: FromIngestWorker) => {
          switch (m.type) {
            case 'progress':
              hooks.onProgress(m.progress);
              return;
            case 'done':
              settle(() => resolve(m.summary));
              return;
            case 'error':
              settle(() => reject(new Error(m.message)));
              return;
            default:
              return;
          }
        });
        worker.on('error', (e) =>
          settle(() =>
            reject(
              new Error((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? describeIngestFailure(e) : `Ingest stopped: the ingest worker crashed (${e.message}). The batches committed before are kept; run the ingest again to complete it.`),
            ),
          ),
        );
        worker.on('exit', (code) => {
          hooks.signal.removeEventListener('abort', onAbort);
          settle(() => reject(new Error(`Ingest stopped: the ingest worker ended unexpectedly (exit code ${code}). The batches committed before are kept; run the ingest again to complete it.`)));
        });
        const start: ToIngestWorker = {
          type: 'start',
          job: { dbPath: job.dbPath, options: { root: job.root, timeZone: job.timeZone, files: job.files, ...(job.batchRows === undefined ? {} : { batchRows: job.batchRows }) } },
        };
        worker.postMessage(start);
      }),
  };
}
