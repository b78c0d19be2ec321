import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { createDocumentClient, type TenantClientFactory } from '@civicgrid/storage';

/** The session tag that names the tenant; the tenant-access role's policy reads it. */
export const TENANT_SESSION_TAG = 'tenant';

export interface TenantCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export type TenantCredentialSource = (tenantId: string) => Promise<TenantCredentials>;

export interface TenantCredentialCacheOptions {
  /**
   * Fetch new credentials this long before the old ones expire. The AWS SDK asks its provider
   * again when credentials are within 5 minutes of expiring, so this is at least that.
   * @default 5 minutes
   */
  readonly refreshBeforeMs?: number;
  /** Tenants whose credentials are kept at once; the least recently fetched go first. @default 500 */
  readonly maxTenants?: number;
  readonly now?: () => number;
}

/**
 * Credentials per tenant, kept for their lifetime: one Lambda container assumes the tenant role
 * once per tenant and hour, not once per request. Concurrent requests for the same tenant share
 * one fetch; a failed fetch is not kept, so the next request tries again.
 */
export class TenantCredentialCache {
  private readonly entries = new Map<string, Promise<TenantCredentials>>();
  private readonly refreshBeforeMs: number;
  private readonly maxTenants: number;
  private readonly now: () => number;

  constructor(
    private readonly source: TenantCredentialSource,
    options: TenantCredentialCacheOptions = {},
  ) {
    this.refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
    this.maxTenants = options.maxTenants ?? 500;
    this.now = options.now ?? Date.now;
  }

  async get(tenantId: string): Promise<TenantCredentials> {
    const entry = this.entries.get(tenantId);
    if (entry) {
      const credentials = await entry;
      if (credentials.expiration.getTime() - this.refreshBeforeMs > this.now()) return credentials;
      // Another caller may have started the refresh while this one waited.
      const current = this.entries.get(tenantId);
      if (current && current !== entry) return current;
    }
    return this.fetch(tenantId);
  }

  /** How many tenants have credentials kept or being fetched. */
  get size(): number {
    return this.entries.size;
  }

  private fetch(tenantId: string): Promise<TenantCredentials> {
    const pending: Promise<TenantCredentials> = this.source(tenantId).catch((error: unknown) => {
      if (this.entries.get(tenantId) === pending) this.entries.delete(tenantId);
      throw error;
    });
    // Re-inserting moves the tenant to the end, so the first key is the least recently fetched.
    this.entries.delete(tenantId);
    this.entries.set(tenantId, pending);
    while (this.entries.size > this.maxTenants) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return pending;
  }
}

export interface AssumeTenantRoleOptions {
  readonly sts: STSClient;
  /** The tenant-access role; its trust policy requires the tenant session tag. */
  readonly roleArn: string;
  /** @default 3600, the role's default maximum session */
  readonly durationSeconds?: number;
}

/**
 * Credentials of the tenant-access role for one tenant: the session is tagged with the tenant id,
 * and the role's policy lets it touch only items whose partition key begins with `<tag>#`.
 */
export const assumeTenantRole =
  ({ sts, roleArn, durationSeconds = 3600 }: AssumeTenantRoleOptions): TenantCredentialSource =>
  async (tenantId) => {
    const { Credentials: credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        // Shows up in CloudTrail next to each DynamoDB call the session makes.
        RoleSessionName: `tenant-${tenantId}`,
        Tags: [{ Key: TENANT_SESSION_TAG, Value: tenantId }],
        DurationSeconds: durationSeconds,
      }),
    );
    if (
      !credentials?.AccessKeyId ||
      !credentials.SecretAccessKey ||
      !credentials.SessionToken ||
      !credentials.Expiration
    ) {
      throw new Error(`AssumeRole for tenant ${tenantId} returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    };
  };

/**
 * One DynamoDB document client per tenant, each signing with that tenant's cached credentials.
 * Clients are cheap but keep their own connection pool, so they are kept and reused too.
 */
export const tenantScopedClients = (
  cache: TenantCredentialCache,
  options: { readonly maxClients?: number } = {},
): TenantClientFactory => {
  const maxClients = options.maxClients ?? 500;
  const clients = new Map<string, ReturnType<TenantClientFactory>>();
  return (tenantId) => {
    const existing = clients.get(tenantId);
    if (existing) return existing;
    const client = createDocumentClient({ credentials: () => cache.get(tenantId) });
    clients.set(tenantId, client);
    while (clients.size > maxClients) {
      const oldest = clients.keys().next().value as string;
      clients.get(oldest)?.destroy();
      clients.delete(oldest);
    }
    return client;
  };
};
