import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, type Clock, newId, systemClock } from '@civicgrid/domain';
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

export interface LocalAttachmentStoreOptions {
  /** Root under which objects are written as `<directory>/<key>`. */
  directory: string;
  /** Where the API serves the upload and download routes, e.g. http://localhost:3000. */
  baseUrl: string;
  /** HMAC key for upload and download tokens; at least 16 bytes. */
  secret: Uint8Array | string;
  clock?: Clock;
  /** Lifetime of upload and download tokens; defaults to 900 (15 minutes), as for S3. */
  expiresInSeconds?: number;
}

export interface AcceptedUpload {
  tenantId: string;
  attachmentId: string;
  key: string;
  sizeBytes: number;
  contentType: string;
}

export interface LocalDownload {
  body: Uint8Array;
  contentType: string;
  /** Set when the uploader gave a file name; the route should send it as Content-Disposition. */
  contentDisposition?: string;
}

interface UploadClaims {
  purpose: 'upload';
  tenantId: string;
  key: string;
  contentType: string;
  sizeBytes: number;
  contentDisposition?: string;
  /** Epoch milliseconds. */
  exp: number;
}

interface DownloadClaims {
  purpose: 'download';
  tenantId: string;
  key: string;
  exp: number;
}

type Claims = UploadClaims | DownloadClaims;

interface Sidecar {
  contentType: string;
  sizeBytes: number;
  contentDisposition?: string;
  uploadedAt: string;
}

const MIN_SECRET_BYTES = 16;
const TOKEN_PATTERN = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

/**
 * The embedded platform's stand-in for S3: the same ticket shape, with URLs that point at the
 * local API, which hands the token and body back to acceptUpload / readDownload. The token plays
 * the role of the SigV4 signature — it pins tenant, key, type and size, and expires.
 */
export class LocalAttachmentStore implements AttachmentStore {
  private readonly root: string;
  private readonly baseUrl: string;
  private readonly secret: Buffer;
  private readonly clock: Clock;
  private readonly expiresInSeconds: number;

  constructor(options: LocalAttachmentStoreOptions) {
    this.root = path.resolve(options.directory);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.secret =
      typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : Buffer.from(options.secret);
    if (this.secret.length < MIN_SECRET_BYTES) {
      throw new RangeError(`the token secret must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    this.clock = options.clock ?? systemClock;
    this.expiresInSeconds = options.expiresInSeconds ?? 900;
    if (!Number.isInteger(this.expiresInSeconds) || this.expiresInSeconds < 1) {
      throw new RangeError('expiresInSeconds must be a positive whole number');
    }
  }

  async createUpload(request: UploadRequest): Promise<UploadTicket> {
    const upload = validateUploadRequest(request);
    const now = this.clock.now();
    const attachmentId = newId(now.getTime());
    const key = attachmentKey(upload.tenantId, attachmentId, now);
    const exp = now.getTime() + this.expiresInSeconds * 1000;
    const disposition = upload.fileName === undefined ? undefined : contentDisposition(upload.fileName);

    const token = this.sign({
      purpose: 'upload',
      tenantId: upload.tenantId,
      key,
      contentType: upload.contentType,
      sizeBytes: upload.sizeBytes,
      ...(disposition === undefined ? {} : { contentDisposition: disposition }),
      exp,
    });
    return {
      attachmentId,
      key,
      uploadUrl: `${this.baseUrl}/v1/attachments/upload/${token}`,
      method: 'PUT',
      // Content-Length is set by any HTTP client from the body; listed to match the S3 ticket.
      headers: { 'Content-Type': upload.contentType, 'Content-Length': String(upload.sizeBytes) },
      expiresAt: new Date(exp).toISOString(),
    };
  }

  /**
   * Stores the body of a PUT to the upload URL. The route should stop reading a body once it
   * exceeds MAX_ATTACHMENT_BYTES; the exact size is checked here against the token.
   */
  async acceptUpload(
    token: string,
    contentType: string | undefined,
    body: Uint8Array,
  ): Promise<AcceptedUpload> {
    const claims = this.verify(token, 'upload');
    // As with S3's signed headers: the upload must be exactly what was asked for.
    if (contentType !== claims.contentType) {
      throw new AppError('validation_failed', `The upload must have Content-Type ${claims.contentType}`, {
        code: 'content_type_mismatch',
        expected: claims.contentType,
      });
    }
    if (body.byteLength !== claims.sizeBytes) {
      throw new AppError('validation_failed', `The upload must be exactly ${claims.sizeBytes} bytes`, {
        code: 'size_mismatch',
        expected: claims.sizeBytes,
      });
    }
    const file = this.pathOf(claims.tenantId, claims.key);
    await mkdir(path.dirname(file), { recursive: true });

    const sidecar: Sidecar = {
      contentType: claims.contentType,
      sizeBytes: claims.sizeBytes,
      ...(claims.contentDisposition === undefined ? {} : { contentDisposition: claims.contentDisposition }),
      uploadedAt: this.clock.now().toISOString(),
    };
    // Sidecar first, body last and by rename: head never sees a half-written file, and a body
    // is only ever visible with its metadata beside it.
    const temp = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(sidecarOf(file), JSON.stringify(sidecar));
      await writeFile(temp, body);
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return {
      tenantId: claims.tenantId,
      attachmentId: path.basename(claims.key),
      key: claims.key,
      sizeBytes: claims.sizeBytes,
      contentType: claims.contentType,
    };
  }

  async head(tenantId: string, attachmentId: string, key: string): Promise<StoredAttachment | undefined> {
    assertTenantKey(tenantId, key, attachmentId);
    const file = this.pathOf(tenantId, key);
    try {
      const [stats, sidecar] = await Promise.all([stat(file), readSidecar(file)]);
      if (!stats.isFile()) return undefined;
      return { sizeBytes: stats.size, contentType: sidecar.contentType };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async createDownload(tenantId: string, key: string): Promise<AttachmentDownload> {
    assertTenantKey(tenantId, key);
    const exp = this.clock.now().getTime() + this.expiresInSeconds * 1000;
    const token = this.sign({ purpose: 'download', tenantId, key, exp });
    return {
      url: `${this.baseUrl}/v1/attachments/download/${token}`,
      expiresAt: new Date(exp).toISOString(),
    };
  }

  async readDownload(token: string): Promise<LocalDownload> {
    const claims = this.verify(token, 'download');
    const file = this.pathOf(claims.tenantId, claims.key);
    try {
      const [body, sidecar] = await Promise.all([readFile(file), readSidecar(file)]);
      return {
        body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
        contentType: sidecar.contentType,
        ...(sidecar.contentDisposition === undefined
          ? {}
          : { contentDisposition: sidecar.contentDisposition }),
      };
    } catch (error) {
      if (isMissing(error)) throw new AppError('not_found', 'Attachment not found');
      throw error;
    }
  }

  /**
   * Keys are generated, but they come back from clients and tokens: check the tenant prefix and
   * that the resolved path stays inside the root anyway.
   */
  private pathOf(tenantId: string, key: string): string {
    assertTenantKey(tenantId, key);
    const file = path.resolve(this.root, ...key.split('/'));
    if (!file.startsWith(`${this.root}${path.sep}`)) {
      throw new AppError('not_found', 'Attachment not found');
    }
    return file;
  }

  private sign(claims: Claims): string {
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  private verify(token: string, purpose: 'upload'): UploadClaims;
  private verify(token: string, purpose: 'download'): DownloadClaims;
  private verify(token: string, purpose: Claims['purpose']): Claims {
    // 403 like S3 for a bad or expired signature; not 401, which clients take to mean their
    // session ended.
    const refuse = (code: string, message: string) => new AppError('forbidden', message, { code });
    const match = typeof token === 'string' ? TOKEN_PATTERN.exec(token) : null;
    if (!match) throw refuse('invalid_token', 'The attachment link is not valid');
    const [, payload = '', signature = ''] = match;
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw refuse('invalid_token', 'The attachment link is not valid');
    }

    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw refuse('invalid_token', 'The attachment link is not valid');
    }
    if (!isClaims(claims) || claims.purpose !== purpose) {
      throw refuse('invalid_token', 'The attachment link is not valid');
    }
    if (this.clock.now().getTime() >= claims.exp) {
      throw refuse('token_expired', 'The attachment link has expired');
    }
    return claims;
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest();
  }
}

const isClaims = (value: unknown): value is Claims => {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  const common =
    typeof claims.tenantId === 'string' && typeof claims.key === 'string' && Number.isFinite(claims.exp);
  if (!common) return false;
  if (claims.purpose === 'download') return true;
  return (
    claims.purpose === 'upload' &&
    typeof claims.contentType === 'string' &&
    Number.isSafeInteger(claims.sizeBytes) &&
    (claims.contentDisposition === undefined || typeof claims.contentDisposition === 'string')
  );
};

const sidecarOf = (file: string): string => `${file}.meta.json`;

const readSidecar = async (file: string): Promise<Sidecar> =>
  JSON.parse(await readFile(sidecarOf(file), 'utf8')) as Sidecar;

const isMissing = (error: unknown): boolean =>
  error instanceof Error && ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');
