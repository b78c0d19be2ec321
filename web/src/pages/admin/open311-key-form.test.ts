import { describe, expect, it } from 'vitest';
import { keyBody, type Open311KeyView, sortKeys } from './open311-key-form';

describe('open311 key form', () => {
  it('trims the name, leaves the rate to the API when empty and refuses rates out of range', () => {
    expect(keyBody('  市民通 App ', '')).toEqual({ ok: true, body: { name: '市民通 App' } });
    expect(keyBody('市民通', '120')).toEqual({ ok: true, body: { name: '市民通', postsPerHour: 120 } });
    expect(keyBody(' ', '0')).toEqual({
      ok: false,
      problems: { name: 'o311ErrName', postsPerHour: 'o311ErrPosts' },
    });
    expect(keyBody('x'.repeat(81), '10001')).toEqual({
      ok: false,
      problems: { name: 'o311ErrName', postsPerHour: 'o311ErrPosts' },
    });
    expect(keyBody('a', '1.5')).toMatchObject({ ok: false, problems: { postsPerHour: 'o311ErrPosts' } });
  });

  it('lists active keys first, newest first', () => {
    const key = (id: string, status: Open311KeyView['status'], createdAt: string): Open311KeyView => ({
      id,
      name: id,
      status,
      postsPerHour: 300,
      createdAt,
      createdBy: 'u1',
    });
    const sorted = sortKeys([
      key('a', 'revoked', '2026-05-03T00:00:00Z'),
      key('b', 'active', '2026-05-01T00:00:00Z'),
      key('c', 'active', '2026-05-02T00:00:00Z'),
    ]);
    expect(sorted.map((k) => k.id)).toEqual(['c', 'b', 'a']);
  });
});
