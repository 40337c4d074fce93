import { Worker } from 'node:worker_threads';
import type { Envelope } from '../../../shared/api/errors';
import type { Dispatch } from '../../services/registry/dispatch';
import type { BackendWorkerConfig, FromBackend, ToBackend } from './protocol';

export type BackendClient = Readonly<{
  dispatch: Dispatch;
  onEvent: (listener: (name: string, payload: unknown) => void) => void;
  close: () => Promise<void>;
}>;

/**
 * Starts the back-end worker and returns a dispatcher that forwards calls to it. If the worker dies,
 * pending calls fail with a clear error and the next call starts a fresh worker.
 */
export async function startBackendWorker(
  workerFile: URL | string,
  config: BackendWorkerConfig,
  /** Prints a report's HTML to PDF for the worker (config.pdf === 'host'). */
  printPdf?: (job: Readonly<{ html: string; paper: 'a4' | 'letter'; files: ReadonlyArray<string> }>) => Promise<Uint8Array>,
): Promise<BackendClient> {
  const listeners: Array<(name: string, payload: unknown) => void> = [];
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  let seq = 0;
  let worker: Worker | null = null;
  let ready: Promise<Worker> | null = null;

  function spawn(): Promise<Worker> {
    return new Promise((resolveReady, rejectReady) => {
      const w = new Worker(workerFile, { workerData: config });
      let isReady = false;
      w.on('message', (m: FromBackend) => {
        switch (m.type) {
          case 'ready':
            isReady = true;
            worker = w;
            resolveReady(w);
            return;
          case 'result': {
            const done = pending.get(m.seq);
            pending.delete(m.seq);
            done?.(m.envelope);
            return;
          }
          case 'event':
            for (const l of listeners) {
              l(m.name, m.payload);
            }
            return;
          case 'closed':
            return;
          case 'print': {
            const answer = (pdf: Uint8Array | null, error: string | null): void => w.postMessage({ type: 'printed', id: m.id, pdf, error } satisfies ToBackend);
            if (printPdf === undefined) {
              answer(null, 'PDF printing is not available here.');
              return;
            }
            printPdf(m.job).then(
              (pdf) => answer(pdf, null),
              (error: unknown) => answer(null, error instanceof Error ? error.message : String(error)),
            );
            return;
          }
          default:
            return;
        }
      });
      w.on('error', (error) => {
        console.error(`[dossier] back-end worker failed: ${error.stack ?? error.message}`);
        if (!isReady) {
          rejectReady(error);
        }
      });
      w.on('exit', () => {
        worker = null;
        ready = null;
        for (const [, done] of pending) {
          done({ ok: false, error: { code: 'internal', message: 'The back end stopped unexpectedly; please retry. Your case file is safe.' } });
        }
        pending.clear();
      });
    });
  }

  async function ensure(): Promise<Worker> {
    if (worker !== null) {
      return worker;
    }
    ready ??= spawn();
    return ready;
  }

  await ensure();

  const dispatch: Dispatch = async (method, input) => {
    const w = await ensure();
    seq += 1;
    const id = seq;
    return new Promise((resolveCall) => {
      pending.set(id, resolveCall);
      const message: ToBackend = { type: 'call', seq: id, method, input };
      w.postMessage(message);
    });
  };

  return {
    dispatch,
    onEvent: (l) => {
      listeners.push(l);
    },
    close: async () => {
      const w = worker;
      if (w === null) {
        return;
      }
      await new Promise<void>((resolveClose) => {
        w.once('exit', () => resolveClose());
        const message: ToBackend = { type: 'shutdown' };
        w.postMessage(message);
        setTimeout(() => void w.terminate(), 5000).unref();
      });
    },
  };
}
