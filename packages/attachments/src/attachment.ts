import { AppError, isId, TenantIdSchema } from '@civicgrid/domain';

/**
 * Photos, scans and voice/video notes from the field. Deliberately no HTML, SVG or other types a
 * browser would execute when a download is opened inline.
 */
export const allowedContentTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'application/pdf',
  'audio/mpeg',
  'audio/mp4',
  'video/mp4',
] as const;

export type AttachmentContentType = (typeof allowedContentTypes)[number];

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

const MAX_FILE_NAME_LENGTH = 255;

export interface UploadRequest {
  tenantId: string;
  contentType: AttachmentContentType;
  /** At most MAX_ATTACHMENT_BYTES; the upload must be exactly this long. */
  sizeBytes: number;
  /** The name on the reporter's device, offered again when the attachment is downloaded. */
  fileName?: string;
}

export interface UploadTicket {
  /** A ULID. */
  attachmentId: string;
  /** `${tenantId}/attachments/${yyyy}/${mm}/${attachmentId}`: tenant first so an IAM policy can confine a caller to its prefix. */
  key: string;
  uploadUrl: string;
  method: 'PUT';
  /** Headers the upload must send exactly as given; they are part of the signature. */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface StoredAttachment {
  sizeBytes: number;
  contentType: string;
}

export interface AttachmentDownload {
  url: string;
  expiresAt: string;
}

export interface AttachmentStore {
  createUpload(request: UploadRequest): Promise<UploadTicket>;
  /** Whether the object was uploaded, with its stored size and type — checked before a case may reference it. */
  head(tenantId: string, attachmentId: string, key: string): Promise<StoredAttachment | undefined>;
  createDownload(tenantId: string, key: string): Promise<AttachmentDownload>;
}

export interface ValidUpload {
  tenantId: string;
  contentType: AttachmentContentType;
  sizeBytes: number;
  fileName: string | undefined;
}

const invalid = (code: string, message: string, extra: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', message, { code, ...extra });

export const isAllowedContentType = (value: unknown): value is AttachmentContentType =>
  typeof value === 'string' && (allowedContentTypes as readonly string[]).includes(value);

/** Checks a request at runtime too: it arrives from HTTP, so the static types promise nothing. */
export const validateUploadRequest = (request: UploadRequest): ValidUpload => {
  const { tenantId, contentType, sizeBytes } = request;
  if (!TenantIdSchema.safeParse(tenantId).success) {
    throw invalid('invalid_tenant', 'The tenant id is not valid');
  }
  if (!isAllowedContentType(contentType)) {
    throw invalid('unsupported_content_type', `Attachments of type ${String(contentType)} are not accepted`, {
      allowed: allowedContentTypes,
    });
  }
  if (typeof sizeBytes !== 'number' || !Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
    throw invalid('invalid_size', 'The size must be a whole number of bytes');
  }
  if (sizeBytes === 0) throw invalid('empty', 'The attachment is empty');
  if (sizeBytes > MAX_ATTACHMENT_BYTES) {
    throw invalid('too_large', `Attachments may be at most ${MAX_ATTACHMENT_BYTES} bytes`, {
      maxBytes: MAX_ATTACHMENT_BYTES,
    });
  }
  return { tenantId, contentType, sizeBytes, fileName: normalizeFileName(request.fileName) };
};

const normalizeFileName = (fileName: string | undefined): string | undefined => {
  if (fileName === undefined) return undefined;
  if (typeof fileName !== 'string') throw invalid('invalid_file_name', 'The file name must be text');
  // Devices prepend folders; only the last segment names the file.
  const name = fileName.split(/[/\\]/).pop()?.trim() ?? '';
  if (name === '' || name === '.' || name === '..') return undefined;
  // Control characters would let a name break out of the Content-Disposition header.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  if (/[\u0000-\u001f\u007f]/.test(name) || name.length > MAX_FILE_NAME_LENGTH) {
    throw invalid(
      'invalid_file_name',
      `The file name must be at most ${MAX_FILE_NAME_LENGTH} printable characters`,
    );
  }
  return name;
};

/**
 * Months are UTC so a key never depends on the server's zone; they only spread objects over
 * prefixes and let lifecycle rules and audits select a period.
 */
export const attachmentKey = (tenantId: string, attachmentId: string, at: Date): string => {
  const yyyy = String(at.getUTCFullYear()).padStart(4, '0');
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  return `${tenantId}/attachments/${yyyy}/${mm}/${attachmentId}`;
};

const KEY_PATTERN =
  /^([a-z0-9][a-z0-9-]{1,31})\/attachments\/\d{4}\/(0[1-9]|1[0-2])\/([0-9A-HJKMNP-TV-Z]{26})$/;

/**
 * Refuses a key outside the tenant's prefix — or not shaped like one we generate — as not found,
 * so one tenant can neither address another's objects nor learn that they exist.
 */
export const assertTenantKey = (tenantId: string, key: string, attachmentId?: string): void => {
  const match = typeof key === 'string' ? KEY_PATTERN.exec(key) : null;
  const ok =
    match !== null &&
    match[1] === tenantId &&
    (attachmentId === undefined || (isId(attachmentId) && match[3] === attachmentId));
  if (!ok) throw new AppError('not_found', 'Attachment not found');
};

/**
 * `inline` so photos open in the browser (the allowed types are all safe to render); the UTF-8
 * form carries Chinese names, the ASCII fallback is for clients that ignore it.
 */
export const contentDisposition = (fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
};
