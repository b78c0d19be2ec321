import { type RateLimit, rateLimitError } from '@civicgrid/storage';
import type { Context } from 'hono';
import type { ApiDeps } from './env';

/** Counts one hit and refuses the request, with Retry-After, once the window is full. */
export const enforceRateLimit = async (
  deps: ApiDeps,
  c: Context,
  scope: string,
  rule: RateLimit,
  subject: string,
): Promise<void> => {
  const decision = await deps.rateLimiter.hit(scope, rule, subject);
  c.header('x-ratelimit-limit', String(decision.limit));
  c.header('x-ratelimit-remaining', String(decision.remaining));
  if (!decision.allowed) {
    c.header('retry-after', String(decision.retryAfterSeconds));
    throw rateLimitError(decision);
  }
};

/** Rate-limit counters of unauthenticated callers live under this pseudo-tenant. */
export const PUBLIC_SCOPE = 'public';
