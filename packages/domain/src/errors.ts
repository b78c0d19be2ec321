/**
 * Errors that cross a boundary (HTTP, queue, storage) carry a machine-readable code.
 * The HTTP status lives beside the code so that every adapter maps them the same way.
 */
export const errorStatus = {
  validation_failed: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  invalid_token: 401,
  token_expired: 401,
  invalid_credentials: 401,
  user_disabled: 401,
  forbidden: 403,
  tenant_suspended: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  already_exists: 409,
  version_conflict: 409,
  transaction_conflict: 409,
  has_children: 409,
  unit_in_use: 409,
  tenant_mismatch: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): (typeof errorStatus)[ErrorCode] {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

/** A conditional write or transaction lost against a concurrent change, or the item already exists. */
export class ConflictError extends AppError {
  constructor(
    code: 'already_exists' | 'version_conflict' | 'transaction_conflict',
    message: string,
    details?: unknown,
  ) {
    super(code, message, details);
    this.name = 'ConflictError';
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, details?: unknown) {
    super('not_found', message, details);
    this.name = 'NotFoundError';
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('validation_failed', message, details);
    this.name = 'ValidationError';
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;
