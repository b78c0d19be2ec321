import type { Logger } from '@aws-lambda-powertools/logger';
import type { AttachmentStore, LocalAttachmentStore } from '@civicgrid/attachments';
import type { LocalIssuer, LocalUserDirectory, TokenVerifier, UserDirectory } from '@civicgrid/auth';
import type { Clock, Principal } from '@civicgrid/domain';
import type { Geocoder } from '@civicgrid/geocoding';
import type { EventPublisher } from '@civicgrid/queue';
import type { RateLimiter, Store, TenantStore } from '@civicgrid/storage';
import type { Context } from 'hono';

/** What the API needs from the outside world; the runtime (Lambda or local) provides it. */
export interface ApiDeps {
  store: Store;
  events: EventPublisher;
  clock: Clock;
  logger: Logger;
  auth: {
    verify: TokenVerifier;
    directory: UserDirectory;
    /** Password login, only where the API issues its own tokens (the embedded platform, not AWS). */
    local?: { issuer: LocalIssuer; directory: LocalUserDirectory };
  };
  rateLimiter: RateLimiter;
  /** Photos and documents: presigned S3 uploads on AWS; signed uploads to disk locally (then `local` is set). */
  attachments: { store: AttachmentStore; local?: LocalAttachmentStore };
  /** An external geocoder beside each city's own gazetteer (Amazon Location on AWS); none locally. */
  geocoder?: Geocoder;
  /** The caller's address as the runtime sees it (socket or API Gateway's sourceIp). */
  clientIp: (c: Context) => string;
}

/** Who writes, in which tenant and request: what every service call that writes needs. */
export interface WriteContext {
  tenant: TenantStore;
  principal: Principal;
  requestId: string;
  clock: Clock;
}

export const writeContextOf = (deps: ApiDeps, c: Context<ApiEnv>): WriteContext => ({
  tenant: c.get('tenant'),
  principal: c.get('principal'),
  requestId: c.get('requestId'),
  clock: deps.clock,
});

export interface ApiEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** Set by `authenticate` from the verified token; absent on public routes. */
    principal: Principal;
    /** The caller's tenant; the only store a handler of an authenticated route gets. */
    tenant: TenantStore;
  };
}
