import { describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER, resolveClientIp, viewerAddress } from './client-ip';

const headers =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name];

describe('resolveClientIp', () => {
  const secret = 'origin-secret-0123456789';

  it('takes the viewer address from CloudFront when the origin secret comes with it', () => {
    const ip = resolveClientIp(
      '130.176.1.1',
      headers({ [ORIGIN_VERIFY_HEADER]: secret, 'cloudfront-viewer-address': '203.0.113.7:51234' }),
      secret,
    );
    expect(ip).toBe('203.0.113.7');
  });

  it('reads IPv6 viewer addresses', () => {
    expect(viewerAddress('2001:db8::8a2e:370:7334:443')).toBe('2001:db8::8a2e:370:7334');
    expect(viewerAddress('not an address')).toBeUndefined();
  });

  it('ignores a viewer address without the secret, or with a wrong one: direct callers could forge it', () => {
    for (const proof of [undefined, 'guess', `${secret}x`]) {
      const values: Record<string, string> = { 'cloudfront-viewer-address': '203.0.113.7:51234' };
      if (proof) values[ORIGIN_VERIFY_HEADER] = proof;
      expect(resolveClientIp('198.51.100.2', headers(values), secret)).toBe('198.51.100.2');
    }
  });

  it('uses the source address when no distribution is configured', () => {
    const forged = headers({ [ORIGIN_VERIFY_HEADER]: '', 'cloudfront-viewer-address': '203.0.113.7:1' });
    expect(resolveClientIp('198.51.100.2', forged, undefined)).toBe('198.51.100.2');
    expect(resolveClientIp(undefined, forged, undefined)).toBe('unknown');
  });
});
