import { createHash } from 'node:crypto';
import { AppError, ManualClock } from '@civicgrid/domain';
import { type RateLimit, RateLimiter, rateLimitError, type Store, tableDefinition } from '@civicgrid/storage';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestStore } from '../support/store';

// Window-aligned start (a multiple of 60 s since the epoch) so expected reset times are round.
const START = '2026-03-01T08:00:00.000Z';
const loginIp: RateLimit = { name: 'login-ip', limit: 3, windowSeconds: 60 };

let store: Store;
let limiter: RateLimiter;
const clock = new ManualClock(START);

const hits = async (count: number, scope: string, rule: RateLimit, subject: string) => {
  const decisions = [];
  for (let i = 0; i < count; i++) decisions.push(await limiter.hit(scope, rule, subject));
  return decisions;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  store = await createTestStore(clock);
  limiter = new RateLimiter(store.client, store.tableName, clock);
});

// The table is shared by the whole file, so each test also uses its own subject.
beforeEach(() => clock.set(START));

describe('RateLimiter', () => {
  it('allows exactly `limit` hits, then refuses until the window ends', async () => {
    const allowed = await hits(3, 'alpha', loginIp, '203.0.113.1');
    expect(allowed.map((d) => [d.allowed, d.remaining, d.retryAfterSeconds])).toEqual([
      [true, 2, 0],
      [true, 1, 0],
      [true, 0, 0],
    ]);

    clock.advance(15_500);
    const refused = await limiter.hit('alpha', loginIp, '203.0.113.1');
    expect(refused).toEqual({
      allowed: false,
      limit: 3,
      remaining: 0,
      resetAt: new Date('2026-03-01T08:01:00.000Z'),
      // 44.5 s left, rounded up so a client that waits that long is allowed.
      retryAfterSeconds: 45,
    });

    // Refused hits still count; the limiter stays closed for the rest of the window.
    clock.advance(44_000);
    expect((await limiter.hit('alpha', loginIp, '203.0.113.1')).retryAfterSeconds).toBe(1);
  });

  it('allows again in the next window', async () => {
    await hits(4, 'alpha', loginIp, 'next-window');
    expect((await limiter.hit('alpha', loginIp, 'next-window')).allowed).toBe(false);

    clock.advance(60_000);
    const fresh = await limiter.hit('alpha', loginIp, 'next-window');
    expect(fresh).toMatchObject({ allowed: true, remaining: 2 });
    expect(fresh.resetAt).toEqual(new Date('2026-03-01T08:02:00.000Z'));
  });

  it('aligns windows to the epoch, not to the first hit', async () => {
    clock.set('2026-03-01T08:00:59.000Z');
    expect((await limiter.hit('alpha', loginIp, 'aligned')).resetAt).toEqual(
      new Date('2026-03-01T08:01:00.000Z'),
    );
    clock.advance(1000);
    // A new window one second later, even though the first hit was in the old one.
    expect(await limiter.hit('alpha', loginIp, 'aligned')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('counts subjects, scopes and rule names separately', async () => {
    await hits(3, 'alpha', loginIp, 'shared');
    expect((await limiter.hit('alpha', loginIp, 'shared')).allowed).toBe(false);

    expect(await limiter.hit('alpha', loginIp, 'other-subject')).toMatchObject({
      allowed: true,
      remaining: 2,
    });
    expect(await limiter.hit('beta', loginIp, 'shared')).toMatchObject({ allowed: true, remaining: 2 });
    expect(await limiter.hit('public', loginIp, 'shared')).toMatchObject({ allowed: true, remaining: 2 });
    expect(await limiter.hit('alpha', { ...loginIp, name: 'login-user' }, 'shared')).toMatchObject({
      allowed: true,
      remaining: 2,
    });
  });

  it('allows exactly `limit` of many concurrent hits', async () => {
    const rule: RateLimit = { name: 'burst', limit: 10, windowSeconds: 60 };
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => limiter.hit('public', rule, '198.51.100.7')),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    // Every hit saw a distinct count, so the remaining values are 9..0 once each, then zeros.
    expect(
      decisions
        .filter((d) => d.allowed)
        .map((d) => d.remaining)
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('accepts subjects holding key separators and keeps them apart', async () => {
    const rule: RateLimit = { name: 'separators', limit: 1, windowSeconds: 60 };
    expect((await limiter.hit('public', rule, 'a#b')).allowed).toBe(true);
    expect((await limiter.hit('public', rule, 'a:b')).allowed).toBe(true);
    expect((await limiter.hit('public', rule, '2001:db8::1')).allowed).toBe(true);
    expect((await limiter.hit('public', rule, 'user#42:x')).allowed).toBe(true);
    expect((await limiter.hit('public', rule, 'a#b')).allowed).toBe(false);
  });

  it('stores the counter under the scope with a hashed subject and a TTL', async () => {
    const subject = 'user#7:ip';
    await hits(2, 'alpha', loginIp, subject);

    // Read back through the tenant store, which builds the same key from the same parts.
    const stored = await store
      .tenant('alpha')
      .get(
        { pk: ['ratelimit', 'login-ip', sha256(subject)], sk: ['window', 1772352000] },
        { consistentRead: true },
      );
    expect(stored).toBeDefined();
    const item = stored as unknown as Record<string, unknown>;
    expect(item.PK).toMatch(/^alpha#/);
    expect(item.PK).not.toContain(subject);
    expect(item.PK).toBe(`alpha#ratelimit#login-ip#${sha256(subject)}`);
    // 2026-03-01T08:00:00Z in epoch seconds.
    expect(item.SK).toBe('window#1772352000');
    expect(item.count).toBe(2);

    const expiresAt = item[tableDefinition.timeToLiveAttribute];
    expect(Number.isInteger(expiresAt)).toBe(true);
    // Epoch seconds, at or after the window end (08:01:00Z).
    expect(expiresAt as number).toBeGreaterThanOrEqual(1772352060);
    expect(expiresAt as number).toBeLessThan(1772352060 + 3600);
  });

  it('refuses scopes that are not valid tenant ids and malformed rules', async () => {
    await expect(limiter.hit('Not A Tenant', loginIp, 'x')).rejects.toThrow();
    await expect(limiter.hit('alpha#beta', loginIp, 'x')).rejects.toThrow();
    await expect(limiter.hit('alpha', { ...loginIp, name: 'login#ip' }, 'x')).rejects.toThrow(
      /invalid key segment/,
    );
    await expect(limiter.hit('alpha', { ...loginIp, limit: 0 }, 'x')).rejects.toThrow(RangeError);
    await expect(limiter.hit('alpha', { ...loginIp, windowSeconds: 1.5 }, 'x')).rejects.toThrow(RangeError);
  });
});

describe('rateLimitError', () => {
  it('is a 429 carrying retryAfterSeconds and limit', () => {
    const error = rateLimitError({
      allowed: false,
      limit: 5,
      remaining: 0,
      resetAt: new Date('2026-03-01T08:01:00.000Z'),
      retryAfterSeconds: 30,
    });
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.details).toEqual({ retryAfterSeconds: 30, limit: 5 });
  });
});
