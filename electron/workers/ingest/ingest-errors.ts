import { mapDbError } from '../../db/connection/errors';

/**
 * The one sentence an analyst reads when an ingest stops on a fault (disk full, out of memory, a
 * crashed worker, an I/O error): what happened and that every committed batch is kept. Errors
 * without a system or SQLite code keep their own message.
 */
export function describeIngestFailure(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return 'Ingest stopped: the disk is full. The batches committed before are kept; free some space and run the ingest again to complete it.';
  }
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return 'Ingest stopped: the ingest ran out of memory. The batches committed before are kept; close other programs and run the ingest again to complete it.';
  }
  if (code === '') {
    return message;
  }
  return `${mapDbError(error, 'Ingest stopped').message} The batches committed before are kept.`;
}
