import { DossierError } from '../../../shared/api/errors';

/** Turns a better-sqlite3 / file-system error into an analyst-readable DossierError. */
export function mapDbError(error: unknown, context: string): DossierError {
  if (error instanceof DossierError) {
    return error;
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new DossierError('disk_full', `${context}: the disk is full. Free some space and try again; nothing was lost.`);
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new DossierError('case_locked', `${context}: this case is open in another Dossier window or process.`);
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new DossierError('case_corrupt', `${context}: the case file is damaged (${message}).`);
  }
  if (code === 'SQLITE_READONLY' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new DossierError('io_error', `${context}: permission denied or read-only location.`);
  }
  if (code === 'ENOENT') {
    return new DossierError('not_found', `${context}: file not found.`);
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('E')) {
    return new DossierError('io_error', `${context}: ${message}`);
  }
  return new DossierError('internal', `${context}: ${message}`);
}
