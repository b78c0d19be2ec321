import { AppError, type ErrorBody, type ErrorCode, errorStatus } from '@civicgrid/domain';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ApiEnv } from './env';

export const errorResponse = (c: Context, code: ErrorCode, message: string, details?: unknown) =>
  c.json(new AppError(code, message, details).toBody(), errorStatus[code] as ContentfulStatusCode);

/** Hono's own exceptions carry only a status; give each the code a client can act on. */
const codeForHttpException = (error: HTTPException): ErrorCode => {
  switch (error.status) {
    case 400:
      return /json/i.test(error.message) ? 'invalid_json' : 'validation_failed';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    default:
      return 'internal_error';
  }
};

export const onError = (error: Error, c: Context<ApiEnv>) => {
  if (error instanceof AppError) {
    return c.json(error.toBody(), error.status as ContentfulStatusCode);
  }
  if (error instanceof HTTPException) {
    const code = codeForHttpException(error);
    if (code !== 'internal_error') return errorResponse(c, code, error.message || code);
  }
  c.get('logger').error('unhandled error', { error });
  return errorResponse(c, 'internal_error', 'Internal server error.');
};

/** Zod issues, trimmed to what a client needs to point at the offending field. */
export const validationDetails = (error: z.ZodError) =>
  error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
    ...('keys' in issue ? { keys: issue.keys } : {}),
  }));

export const validationHook = (
  result: { success: true } | { success: false; error: z.ZodError; target: string },
  c: Context,
) => {
  if (!result.success) {
    return c.json(
      {
        error: {
          code: 'validation_failed',
          message: `The request ${result.target} is not valid.`,
          details: validationDetails(result.error),
        },
      } satisfies ErrorBody,
      400,
    );
  }
};
