/**
 * Error codes that cross the contract. The analyst sees `message`; the code lets the UI react
 * (e.g. offer "open read-only" or "choose another file"). Stack traces never cross.
 */
export const API_ERROR_CODES = [
  'bad_input',
  'not_found',
  'no_case_open',
  'case_locked',
  'case_from_future',
  'not_a_case_file',
  'case_corrupt',
  'case_exists',
  'io_error',
  'disk_full',
  'busy',
  'cancelled',
  'unsupported',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export type ApiError = Readonly<{ code: ApiErrorCode; message: string }>;

export type Envelope<T> = Readonly<{ ok: true; value: T }> | Readonly<{ ok: false; error: ApiError }>;

/** An error a service throws on purpose: its message is written for the analyst. */
export class DossierError extends Error {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'DossierError';
    this.code = code;
  }
}

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (API_ERROR_CODES as ReadonlyArray<string>).includes(value);
}
