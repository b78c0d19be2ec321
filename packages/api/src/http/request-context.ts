import type { Logger } from '@aws-lambda-powertools/logger';
import { newId } from '@civicgrid/domain';
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './env';

const INBOUND_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Gives every request an id (kept from the caller or API Gateway when it looks sane),
 * echoes it in `x-request-id`, and writes one structured log line per request.
 */
export const requestContext =
  (logger: Logger): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    const inbound = c.req.header('x-request-id');
    const requestId = inbound && INBOUND_ID.test(inbound) ? inbound : newId();
    const child = logger.createChild({ persistentKeys: { requestId } });
    c.set('requestId', requestId);
    c.set('logger', child);
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    child.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round(performance.now() - started),
    });
  };
