import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, type Clock, systemClock } from '@civicgrid/domain';
import { partitionKey, sortKey } from './keys';
import { tableDefinition } from './table';

export interface RateLimit {
  /** Names the counter, e.g. 'login-ip'; becomes a key segment, so it may not contain '#'. */
  name: string;
  /** Hits allowed per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends and the count starts again from zero. */
  resetAt: Date;
  /** 0 when allowed; otherwise whole seconds until resetAt, at least 1 (the Retry-After header). */
  retryAfterSeconds: number;
}

/**
 * Counters outlive their window a little so that Lambda instances whose clocks run slightly
 * behind still find the same item instead of starting a fresh one.
 */
const EXPIRY_SLACK_SECONDS = 60;

/** Subjects (IPs, user ids, emails) may hold '#' or ':' and may be personal data; keys only see a digest. */
const hashSubject = (subject: string): string => createHash('sha256').update(subject).digest('hex');

const assertRule = (rule: RateLimit): void => {
  if (!Number.isInteger(rule.limit) || rule.limit < 1) {
    throw new RangeError(`rate limit ${rule.name}: limit must be a positive integer`);
  }
  // Whole seconds keep window starts on exact epoch-second boundaries, which are the sort key.
  if (!Number.isInteger(rule.windowSeconds) || rule.windowSeconds < 1) {
    throw new RangeError(`rate limit ${rule.name}: windowSeconds must be a positive integer`);
  }
};

/**
 * A fixed-window counter in the single table. The count lives in DynamoDB rather than in memory
 * so that a limit holds across all Lambda instances; one atomic ADD per hit means concurrent
 * hits can never both see the same count.
 */
export class RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Counts one hit of `subject` against `rule` within `scope` (a tenant id, or 'public' for
   * unauthenticated endpoints) and says whether it is within the limit. Refused hits are counted
   * too, so a client that keeps hammering stays refused until the window ends.
   */
  async hit(scope: string, rule: RateLimit, subject: string): Promise<RateDecision> {
    assertRule(rule);
    const nowMs = this.clock.now().getTime();
    const windowMs = rule.windowSeconds * 1000;
    // Aligned to the epoch so every instance computes the same window for the same instant.
    const windowStartMs = Math.floor(nowMs / windowMs) * windowMs;
    const windowEndMs = windowStartMs + windowMs;
    const ttl = tableDefinition.timeToLiveAttribute;

    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: {
          // partitionKey() puts the (validated) scope first, keeping the LeadingKeys rule.
          PK: partitionKey(scope, ['ratelimit', rule.name, hashSubject(subject)]),
          SK: sortKey(['window', windowStartMs / 1000]),
        },
        UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :expiresAt)',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': ttl },
        ExpressionAttributeValues: {
          ':one': 1,
          ':expiresAt': windowEndMs / 1000 + EXPIRY_SLACK_SECONDS,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );

    const count = Number(result.Attributes?.count);
    if (!Number.isFinite(count)) throw new Error('rate limiter update returned no count');
    const allowed = count <= rule.limit;
    return {
      allowed,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - count),
      resetAt: new Date(windowEndMs),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((windowEndMs - nowMs) / 1000)),
    };
  }
}

/** The 429 to throw for a refused hit; details let the HTTP adapter set Retry-After. */
export const rateLimitError = (decision: RateDecision): AppError =>
  new AppError('rate_limited', 'Too many requests; try again later.', {
    retryAfterSeconds: decision.retryAfterSeconds,
    limit: decision.limit,
  });
