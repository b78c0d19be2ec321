import { readFile, writeFile } from 'node:fs/promises';
import { type Clock, formatScope, type Principal, systemClock } from '@civicgrid/domain';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';
import { claimNames } from './claims';

export interface LocalIssuerOptions {
  issuer: string;
  audience: string;
  /** Keep the signing key here so tokens outlive a restart of `pnpm dev`. */
  keyFile?: string;
  clock?: Clock;
  ttlSeconds?: number;
}

const ALG = 'ES256';

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * Stands in for Cognito when there is no AWS account: signs ID tokens that carry the same
 * claims Cognito would, and publishes its public keys as a JWKS.
 */
export class LocalIssuer {
  private constructor(
    private readonly privateKey: SigningKey,
    private readonly publicJwk: JWK,
    private readonly options: LocalIssuerOptions,
  ) {}

  static async create(options: LocalIssuerOptions): Promise<LocalIssuer> {
    const saved = options.keyFile ? await readKey(options.keyFile) : undefined;
    const privateJwk =
      saved ?? (await exportJWK((await generateKeyPair(ALG, { extractable: true })).privateKey));
    privateJwk.kid ??= `local-${Date.now().toString(36)}`;
    if (options.keyFile && !saved)
      await writeFile(options.keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
    const { d: _private, ...publicJwk } = privateJwk;
    const privateKey = await importJWK({ ...privateJwk, alg: ALG }, ALG);
    return new LocalIssuer(privateKey, { ...publicJwk, alg: ALG, use: 'sig' }, options);
  }

  get issuer(): string {
    return this.options.issuer;
  }

  get audience(): string {
    return this.options.audience;
  }

  jwks(): JSONWebKeySet {
    return { keys: [this.publicJwk] };
  }

  keys(): JWTVerifyGetKey {
    return createLocalJWKSet(this.jwks());
  }

  async sign(
    principal: Principal,
    extra: { name?: string } = {},
  ): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor((this.options.clock ?? systemClock).now().getTime() / 1000);
    const exp = now + (this.options.ttlSeconds ?? 3600);
    const token = await new SignJWT({
      token_use: 'id',
      [claimNames.userId]: principal.userId,
      [claimNames.tenantId]: principal.tenantId,
      [claimNames.role]: principal.role,
      [claimNames.scope]: formatScope(principal.scope),
      ...(extra.name ? { name: extra.name } : {}),
    })
      .setProtectedHeader({ alg: ALG, kid: this.publicJwk.kid, typ: 'JWT' })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setSubject(principal.userId)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { token, expiresAt: new Date(exp * 1000) };
  }
}

const readKey = async (file: string): Promise<JWK | undefined> => {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};
