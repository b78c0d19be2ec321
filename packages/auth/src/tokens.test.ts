import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, type Principal } from '@civicgrid/domain';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { claimNames } from './claims';
import { LocalIssuer } from './local-issuer';
import { createTokenVerifier } from './verifier';

const principal: Principal = {
  tenantId: 'demo-city',
  userId: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
  role: 'street_center',
  scope: { kind: 'org', code: '110101001' },
};

const setup = async (options: { audience?: string; keyFile?: string } = {}) => {
  const clock = new ManualClock('2026-06-01T08:00:00Z');
  const issuer = await LocalIssuer.create({
    issuer: 'http://localhost:3000',
    audience: options.audience ?? 'civicgrid-console',
    clock,
    ttlSeconds: 900,
    keyFile: options.keyFile,
  });
  return { clock, issuer };
};

describe('local tokens', () => {
  it('verify and yield the principal they were signed for', async () => {
    const { clock, issuer } = await setup();
    const verify = createTokenVerifier({
      issuer: issuer.issuer,
      audience: 'civicgrid-console',
      keys: issuer.keys(),
      clock,
    });
    const { token, expiresAt } = await issuer.sign(principal);
    expect(expiresAt.toISOString()).toBe('2026-06-01T08:15:00.000Z');
    await expect(verify(token)).resolves.toEqual(principal);
  });

  it('are refused once expired', async () => {
    const { clock, issuer } = await setup();
    const verify = createTokenVerifier({
      issuer: issuer.issuer,
      audience: 'civicgrid-console',
      keys: issuer.keys(),
      clock,
    });
    const { token } = await issuer.sign(principal);
    clock.advance(16 * 60 * 1000);
    await expect(verify(token)).rejects.toMatchObject({ code: 'token_expired', status: 401 });
  });

  it('are refused when signed by another key', async () => {
    const { clock, issuer } = await setup();
    const { issuer: impostor } = await setup();
    const verify = createTokenVerifier({
      issuer: issuer.issuer,
      audience: 'civicgrid-console',
      keys: issuer.keys(),
      clock,
    });
    const { token } = await impostor.sign(principal);
    await expect(verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('are refused for another audience or issuer', async () => {
    const { clock, issuer } = await setup({ audience: 'some-other-client' });
    const { token } = await issuer.sign(principal);
    const wrongAudience = createTokenVerifier({
      issuer: issuer.issuer,
      audience: 'civicgrid-console',
      keys: issuer.keys(),
      clock,
    });
    await expect(wrongAudience(token)).rejects.toMatchObject({ code: 'invalid_token' });
    const wrongIssuer = createTokenVerifier({
      issuer: 'https://elsewhere',
      audience: 'some-other-client',
      keys: issuer.keys(),
      clock,
    });
    await expect(wrongIssuer(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('are refused when tampered with or when their claims do not name a valid scope', async () => {
    const { clock, issuer } = await setup();
    const verify = createTokenVerifier({
      issuer: issuer.issuer,
      audience: 'civicgrid-console',
      keys: issuer.keys(),
      clock,
    });
    const { token } = await issuer.sign(principal);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims[claimNames.role] = 'city_admin';
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    await expect(verify(forged)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(verify('not.a.jwt')).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('refuses a correctly signed token whose claims are incomplete', async () => {
    const { clock, issuer } = await setup();
    const verify = createTokenVerifier({
      issuer: issuer.issuer,
      audience: 'civicgrid-console',
      keys: issuer.keys(),
      clock,
    });
    // An access token (token_use "access") carries no tenant, role or scope.
    const sign = (issuer as unknown as { privateKey: Parameters<SignJWT['sign']>[0] }).privateKey;
    const accessToken = await new SignJWT({ token_use: 'access' })
      .setProtectedHeader({ alg: 'ES256', kid: issuer.jwks().keys[0]?.kid })
      .setIssuer(issuer.issuer)
      .setAudience('civicgrid-console')
      .setSubject('someone')
      .setIssuedAt(Math.floor(clock.now().getTime() / 1000))
      .setExpirationTime(Math.floor(clock.now().getTime() / 1000) + 60)
      .sign(sign);
    await expect(verify(accessToken)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('keep their signing key across restarts when given a key file', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'issuer-')), 'key.json');
    const first = await setup({ keyFile });
    const { token } = await first.issuer.sign(principal);
    const second = await setup({ keyFile });
    const verify = createTokenVerifier({
      issuer: second.issuer.issuer,
      audience: 'civicgrid-console',
      keys: second.issuer.keys(),
      clock: first.clock,
    });
    await expect(verify(token)).resolves.toEqual(principal);
    expect(second.issuer.jwks().keys[0]).not.toHaveProperty('d');
  });
});
