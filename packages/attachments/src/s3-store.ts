import {
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type Clock, newId, systemClock } from '@civicgrid/domain';
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

export interface S3AttachmentStoreOptions {
  clock?: Clock;
  /** Lifetime of presigned upload and download URLs; defaults to 900 (15 minutes). */
  expiresInSeconds?: number;
}

// SigV4 presigned URLs are valid for at most seven days.
const MAX_EXPIRES_IN_SECONDS = 7 * 24 * 60 * 60;

// The presigner leaves these out of the signature by default; signing them is what stops a
// client from using the URL to upload a different type or size than it asked for.
const SIGNED_UPLOAD_HEADERS = new Set(['content-type', 'content-length']);

/** Production adapter: objects in one bucket, written and read by the client through presigned URLs. */
export class S3AttachmentStore implements AttachmentStore {
  private readonly clock: Clock;
  private readonly expiresInSeconds: number;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    options: S3AttachmentStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.expiresInSeconds = options.expiresInSeconds ?? 900;
    if (
      !Number.isInteger(this.expiresInSeconds) ||
      this.expiresInSeconds < 1 ||
      this.expiresInSeconds > MAX_EXPIRES_IN_SECONDS
    ) {
      throw new RangeError(`expiresInSeconds must be a whole number from 1 to ${MAX_EXPIRES_IN_SECONDS}`);
    }
  }

  async createUpload(request: UploadRequest): Promise<UploadTicket> {
    const upload = validateUploadRequest(request);
    const now = this.clock.now();
    const attachmentId = newId(now.getTime());
    const key = attachmentKey(upload.tenantId, attachmentId, now);

    const headers: Record<string, string> = {
      'Content-Type': upload.contentType,
      'Content-Length': String(upload.sizeBytes),
      // Signed as a header (the presigner keeps SSE headers out of the query), so the upload
      // must ask for encryption at rest explicitly.
      'x-amz-server-side-encryption': 'AES256',
    };
    const disposition = upload.fileName === undefined ? undefined : contentDisposition(upload.fileName);
    if (disposition !== undefined) headers['Content-Disposition'] = disposition;

    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: upload.contentType,
      ContentLength: upload.sizeBytes,
      ServerSideEncryption: 'AES256',
      ...(disposition === undefined ? {} : { ContentDisposition: disposition }),
    });
    dropBodyChecksum(command);
    const uploadUrl = await getSignedUrl(this.client, command, {
      expiresIn: this.expiresInSeconds,
      signingDate: now,
      signableHeaders: SIGNED_UPLOAD_HEADERS,
    });

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
    let output: HeadObjectCommandOutput;
    try {
      output = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    return {
      sizeBytes: output.ContentLength ?? 0,
      contentType: output.ContentType ?? 'application/octet-stream',
    };
  }

  /** Does not check that the object exists: a missing one is S3's 404, not worth a round trip here. */
  async createDownload(tenantId: string, key: string): Promise<AttachmentDownload> {
    assertTenantKey(tenantId, key);
    const now = this.clock.now();
    const url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: this.expiresInSeconds,
      signingDate: now,
    });
    return { url, expiresAt: this.expiry(now) };
  }

  private expiry(now: Date): string {
    return new Date(now.getTime() + this.expiresInSeconds * 1000).toISOString();
  }
}

/**
 * With the SDK's default checksum mode, PutObject gets a CRC32 of the (absent, so empty) body,
 * which the presigner hoists into the URL; S3 would then reject every real upload as a checksum
 * mismatch. Stripping it after the checksum middleware ran keeps the URL usable whatever the
 * caller's client is configured with.
 */
const dropBodyChecksum = (command: PutObjectCommand): void => {
  command.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers;
      if (headers) {
        for (const name of Object.keys(headers)) {
          if (/^x-amz-(checksum-|sdk-checksum-algorithm$)/i.test(name)) delete headers[name];
        }
      }
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'civicgridDropPresignedBodyChecksum' },
  );
};

/** HeadObject has no body, so a missing key surfaces as a bare 404 named NotFound. */
const isNotFound = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const status = (error as Error & { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404;
};
