import { STATUS_CODES } from 'node:http';
import { partition } from '@aws-sdk/core/client';
import { type Clock, newId, systemClock } from '@civicgrid/domain';
import { Sha256 } from '@smithy/core/checksum';
import { memoize } from '@smithy/core/config';
import { HttpRequest } from '@smithy/core/transport';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  HttpResponse,
  HttpRequest as SignedRequest,
} from '@smithy/types';
import {
  type AttachmentDownload,
  type AttachmentStore,
  assertTenantKey,
  attachmentKey,
  contentDisposition,
  type StoredAttachment,
  type UploadRequest,
  type UploadTicket,
  validateUploadRequest,
} from './attachment';

/** Sends one signed request (the HEAD of an object); `NodeHttpHandler` has this shape. */
export interface S3RequestHandler {
  handle(request: SignedRequest): Promise<{ response: HttpResponse }>;
}

export interface S3AttachmentStoreOptions {
  /** The bucket's name; it must be DNS-compatible (no dots), as URLs are virtual-hosted style. */
  bucket: string;
  /** The bucket's region, which names both the endpoint and the signing scope. */
  region: string;
  /**
   * What signs the URLs and the HEAD request: in Lambda the SDK's default chain (the execution role).
   * Resolved credentials are reused until five minutes before they expire, as SDK clients do.
   */
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  clock?: Clock;
  /** Lifetime of presigned upload and download URLs; defaults to 900 (15 minutes). */
  expiresInSeconds?: number;
  /** Defaults to the SDK's `NodeHttpHandler`. */
  requestHandler?: S3RequestHandler;
}

// SigV4 presigned URLs are valid for at most seven days.
const MAX_EXPIRES_IN_SECONDS = 7 * 24 * 60 * 60;

// Header names as the signer sees them (lower case). The SDK's presigner left content-type and
// content-length out of the signature by default; signing them is what stops a client from using
// the URL to upload a different type or size than it asked for.
const SIGNED_UPLOAD_HEADERS = new Set(['content-type', 'content-length']);
// Kept a header the uploader must send (so signed as one), not hoisted into the query string.
const UNHOISTABLE_HEADERS = new Set(['x-amz-server-side-encryption']);
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
// SHA-256 of the empty body a HEAD request carries.
const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
// Bucket names S3 can serve virtual-hosted style over HTTPS: lower-case DNS labels, no dots.
const VIRTUAL_HOSTABLE_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
// The SDK client's standard retry mode: three attempts for throttling, 5xx and network errors.
const HEAD_ATTEMPTS = 3;

// Credentials the SDK treats as expired five minutes early, and refreshes once they carry an expiry.
const REFRESH_WINDOW_MS = 5 * 60 * 1000;
const credentialsExpired = (credentials: AwsCredentialIdentity) =>
  credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < REFRESH_WINDOW_MS;
const credentialsExpire = (credentials: AwsCredentialIdentity) => credentials.expiration !== undefined;

/**
 * Production adapter: objects in one bucket, written and read by the client through presigned URLs.
 * It signs with SigV4 directly instead of through `@aws-sdk/client-s3` and its presigner: the signer,
 * hash and HTTP handler are the ones every other SDK client in the Lambda bundle already uses, so
 * the S3 client's ~150 KB of commands, schemas and middleware stay out of the bundle. The URLs are
 * byte for byte what the SDK's presigner made (see s3-store.test.ts).
 */
export class S3AttachmentStore implements AttachmentStore {
  private readonly host: string;
  private readonly signer: SignatureV4;
  private readonly requestHandler: S3RequestHandler;
  private readonly clock: Clock;
  private readonly expiresInSeconds: number;

  constructor(options: S3AttachmentStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.expiresInSeconds = options.expiresInSeconds ?? 900;
    if (
      !Number.isInteger(this.expiresInSeconds) ||
      this.expiresInSeconds < 1 ||
      this.expiresInSeconds > MAX_EXPIRES_IN_SECONDS
    ) {
      throw new RangeError(`expiresInSeconds must be a whole number from 1 to ${MAX_EXPIRES_IN_SECONDS}`);
    }
    if (!VIRTUAL_HOSTABLE_BUCKET.test(options.bucket)) {
      throw new RangeError(
        `bucket ${JSON.stringify(options.bucket)} cannot be addressed virtual-hosted style`,
      );
    }
    if (!/^[a-z0-9-]+$/.test(options.region)) {
      throw new RangeError(`region ${JSON.stringify(options.region)} is not a region name`);
    }
    this.host = `${options.bucket}.s3.${options.region}.${partition(options.region).dnsSuffix}`;
    const { credentials } = options;
    this.signer = new SignatureV4({
      service: 's3',
      region: options.region,
      credentials:
        typeof credentials === 'function'
          ? memoize(credentials, credentialsExpired, credentialsExpire)
          : credentials,
      sha256: Sha256,
      // S3 signs the path as sent, not escaped a second time.
      uriEscapePath: false,
    });
    this.requestHandler = options.requestHandler ?? new NodeHttpHandler();
  }

  async createUpload(request: UploadRequest): Promise<UploadTicket> {
    const upload = validateUploadRequest(request);
    const now = this.clock.now();
    const attachmentId = newId(now.getTime());
    const key = attachmentKey(upload.tenantId, attachmentId, now);

    const headers: Record<string, string> = {
      'Content-Type': upload.contentType,
      'Content-Length': String(upload.sizeBytes),
      // Signed as a header (kept out of the query), so the upload must ask for encryption at rest
      // explicitly.
      'x-amz-server-side-encryption': 'AES256',
    };
    const disposition = upload.fileName === undefined ? undefined : contentDisposition(upload.fileName);
    if (disposition !== undefined) headers['Content-Disposition'] = disposition;

    const uploadUrl = await this.presign('PUT', key, { 'x-id': 'PutObject' }, headers, now);
    return {
      attachmentId,
      key,
      uploadUrl,
      method: 'PUT',
      headers,
      expiresAt: this.expiry(now),
    };
  }

  async head(tenantId: string, attachmentId: string, key: string): Promise<StoredAttachment | undefined> {
    assertTenantKey(tenantId, key, attachmentId);
    const response = await this.send(
      new HttpRequest({
        method: 'HEAD',
        protocol: 'https:',
        hostname: this.host,
        path: objectPath(key),
        headers: { host: this.host, 'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256 },
      }),
    );
    // HEAD has no body, so a missing key is a bare 404.
    if (response.statusCode === 404) return undefined;
    if (response.statusCode < 200 || response.statusCode >= 300) throw new S3RequestError(response);
    const length = Number(header(response, 'content-length'));
    return {
      sizeBytes: Number.isSafeInteger(length) ? length : 0,
      contentType: header(response, 'content-type') ?? 'application/octet-stream',
    };
  }

  /** Does not check that the object exists: a missing one is S3's 404, not worth a round trip here. */
  async createDownload(tenantId: string, key: string): Promise<AttachmentDownload> {
    assertTenantKey(tenantId, key);
    const now = this.clock.now();
    // x-amz-checksum-mode: S3 returns the object's checksums, as the SDK's GetObject asked for.
    const url = await this.presign(
      'GET',
      key,
      { 'x-amz-checksum-mode': 'ENABLED', 'x-id': 'GetObject' },
      {},
      now,
    );
    return { url, expiresAt: this.expiry(now) };
  }

  private async presign(
    method: 'GET' | 'PUT',
    key: string,
    query: Record<string, string>,
    headers: Record<string, string>,
    now: Date,
  ): Promise<string> {
    const signed = await this.signer.presign(
      new HttpRequest({
        method,
        protocol: 'https:',
        hostname: this.host,
        path: objectPath(key),
        query,
        // Hoisted into the query under this very name, as the SDK's presigner wrote it.
        headers: { ...headers, host: this.host, 'X-Amz-Content-Sha256': UNSIGNED_PAYLOAD },
      }),
      {
        expiresIn: this.expiresInSeconds,
        signingDate: now,
        signableHeaders: SIGNED_UPLOAD_HEADERS,
        unhoistableHeaders: UNHOISTABLE_HEADERS,
      },
    );
    const search = Object.entries(signed.query ?? {})
      .flatMap(([name, value]) => (typeof value === 'string' ? [[name, value] as const] : []))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${escapeUri(name)}=${escapeUri(value)}`)
      .join('&');
    return `https://${this.host}${signed.path}?${search}`;
  }

  /** Signs and sends, retrying throttling, server errors and dropped connections as the SDK did. */
  private async send(request: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse;
      try {
        const signed = await this.signer.sign(HttpRequest.clone(request), { signingDate: new Date() });
        ({ response } = await this.requestHandler.handle(signed));
      } catch (error) {
        if (attempt >= HEAD_ATTEMPTS || !isTransientNetworkError(error)) throw error;
        await backoff(attempt);
        continue;
      }
      discardBody(response);
      const retryable = response.statusCode === 429 || response.statusCode >= 500;
      if (!retryable || attempt >= HEAD_ATTEMPTS) return response;
      await backoff(attempt);
    }
  }

  private expiry(now: Date): string {
    return new Date(now.getTime() + this.expiresInSeconds * 1000).toISOString();
  }
}

/** An S3 response other than success or a missing object; HEAD has no body, so the status names it. */
export class S3RequestError extends Error {
  readonly $metadata: { httpStatusCode: number; requestId?: string; extendedRequestId?: string };

  constructor(response: HttpResponse) {
    const reason = STATUS_CODES[response.statusCode] ?? 'Unknown';
    super(`S3 HEAD failed: ${response.statusCode} ${reason}`);
    this.name = reason.replace(/[^A-Za-z]/g, '') || 'UnknownError';
    this.$metadata = {
      httpStatusCode: response.statusCode,
      requestId: header(response, 'x-amz-request-id'),
      extendedRequestId: header(response, 'x-amz-id-2'),
    };
  }
}

/** The key's path, escaped once per segment as S3 signs it (our keys only hold safe characters). */
const objectPath = (key: string): string => `/${key.split('/').map(escapeUri).join('/')}`;

/** RFC 3986 escaping, as SigV4 and the SDK's URL formatting use it. */
const escapeUri = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const header = (response: HttpResponse, name: string): string | undefined => {
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
};

/** Frees the socket: a HEAD response has no body, but Node still hands over a stream. */
const discardBody = (response: HttpResponse): void => {
  const body = response.body as { resume?: () => void } | undefined;
  body?.resume?.();
};

const TRANSIENT_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

const isTransientNetworkError = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: string }).code;
  return (
    (code !== undefined && TRANSIENT_ERROR_CODES.has(code)) ||
    error.name === 'TimeoutError' ||
    error.name === 'RequestTimeout'
  );
};

// Full jitter on an exponential base of 100 ms, the SDK's standard retry delay.
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** (attempt - 1)));
