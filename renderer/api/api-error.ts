import { isApiErrorCode, type ApiError, type ApiErrorCode } from '../../shared/api/errors';

/** What every API call throws when the back end answers `{ ok: false }` or cannot be reached. */
export class ApiCallError extends Error {
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }

  static fromEnvelopeError(error: Partial<ApiError> | undefined): ApiCallError {
    const code = isApiErrorCode(error?.code) ? error.code : 'internal';
    const message = typeof error?.message === 'string' && error.message !== '' ? error.message : 'The back end reported an error without a message.';
    return new ApiCallError(code, message);
  }
}

/** The analyst-facing text for anything thrown: API messages as they are, anything else without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiCallError) {
    return error.message;
  }
  if (error instanceof Error) {
    return error.message.split('\n')[0] ?? 'Unexpected error.';
  }
  return typeof error === 'string' ? error : 'Unexpected error.';
}
