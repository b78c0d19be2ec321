import { allowedContentTypes, MAX_ATTACHMENT_BYTES, validateUploadRequest } from '@civicgrid/attachments';
import { AppError, IdSchema } from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';
import type { ApiModule } from '../app';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { findAttachment, isUploaded, recordAttachment } from './attachment-store';

export { assertAttachmentsUploaded } from './attachment-store';

/** The largest upload the local upload route takes; S3 enforces the same through the signed length. */
export const UPLOAD_MAX_BYTES = MAX_ATTACHMENT_BYTES;

const UPLOAD_PATH = /^\/v1\/attachments\/upload\/[^/]+$/;

/**
 * The local upload route, whose bodies (up to UPLOAD_MAX_BYTES) exceed the app's ordinary JSON
 * limit; the route reads and bounds its body itself.
 */
export const isUploadPath = (path: string) => UPLOAD_PATH.test(path);

const CreateUploadSchema = z
  .strictObject({
    contentType: z.enum(allowedContentTypes),
    sizeBytes: z.number().int().min(1).max(MAX_ATTACHMENT_BYTES),
    fileName: z.string().min(1).max(1024).optional(),
  })
  .openapi('AttachmentUploadRequest');

const TicketSchema = z
  .object({
    attachmentId: z.string(),
    uploadUrl: z.string(),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string(),
  })
  .openapi('AttachmentUploadTicket');

const AttachmentSchema = z
  .object({
    attachmentId: z.string(),
    contentType: z.string(),
    sizeBytes: z.number(),
    fileName: z.string().optional(),
    uploadedBy: z.string(),
    createdAt: z.string(),
    downloadUrl: z.string(),
    downloadExpiresAt: z.string(),
  })
  .openapi('Attachment');

const TokenParam = z.object({ token: z.string().min(1).max(4096) });
const binary = z.string().openapi({ format: 'binary' });

const tooLarge = () =>
  new AppError('payload_too_large', `Attachments may be at most ${UPLOAD_MAX_BYTES} bytes.`, {
    maxBytes: UPLOAD_MAX_BYTES,
  });

/** The raw body, refused as soon as its declared or actual length passes `max`. */
const readBody = async (request: Request, max: number): Promise<Uint8Array> => {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > max) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
};

export const attachmentsModule: ApiModule = (app, deps) => {
  const tags = ['attachments'];

  app.openapi(
    secureRoute(deps, 'cases.act', {
      method: 'post',
      path: '/v1/attachments',
      tags,
      summary:
        'Ask to upload a photo, scan or recording: returns a short-lived URL to PUT the bytes to, with the headers to send',
      request: { body: jsonBody(CreateUploadSchema) },
      responses: {
        201: { description: 'The upload ticket', content: { 'application/json': { schema: TicketSchema } } },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const tenant = c.get('tenant');
      const request = { tenantId: tenant.tenantId, ...c.req.valid('json') };
      const { fileName } = validateUploadRequest(request);
      const ticket = await deps.attachments.store.createUpload(request);
      await recordAttachment(tenant, {
        attachmentId: ticket.attachmentId,
        key: ticket.key,
        contentType: request.contentType,
        sizeBytes: request.sizeBytes,
        ...(fileName === undefined ? {} : { fileName }),
        uploadedBy: c.get('principal').userId,
        createdAt: deps.clock.now().toISOString(),
      });
      const { attachmentId, uploadUrl, method, headers, expiresAt } = ticket;
      return c.json({ attachmentId, uploadUrl, method, headers, expiresAt }, 201);
    },
  );

  app.openapi(
    secureRoute(deps, 'cases.read', {
      method: 'get',
      path: '/v1/attachments/{attachmentId}',
      tags,
      summary: 'An uploaded attachment with a short-lived download URL',
      request: { params: z.object({ attachmentId: IdSchema }) },
      responses: {
        200: { description: 'The attachment', content: { 'application/json': { schema: AttachmentSchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const tenant = c.get('tenant');
      const found = await findAttachment(tenant, c.req.valid('param').attachmentId);
      if (!found) throw new AppError('not_found', 'Attachment not found.');
      const { key, ...meta } = found.data;
      if (!(await isUploaded(deps, tenant.tenantId, found.data))) {
        throw new AppError('not_found', 'The attachment has not been uploaded.', { code: 'not_uploaded' });
      }
      const download = await deps.attachments.store.createDownload(tenant.tenantId, key);
      return c.json({ ...meta, downloadUrl: download.url, downloadExpiresAt: download.expiresAt }, 200);
    },
  );

  const local = deps.attachments.local;
  if (!local) return;

  // The embedded platform's stand-ins for S3's presigned URLs: the signed token is the authority.
  app.openapi(
    secureRoute(deps, 'public', {
      method: 'put',
      path: '/v1/attachments/upload/{token}',
      tags,
      summary: 'Upload the bytes of a ticket (local platform only; on AWS the ticket points at S3)',
      request: {
        params: TokenParam,
        body: {
          required: true,
          content: Object.fromEntries(allowedContentTypes.map((type) => [type, { schema: binary }])),
        },
      },
      responses: {
        204: { description: 'Stored' },
        ...errorResponses(400, 403, 404, 413),
      },
    }),
    async (c) => {
      const body = await readBody(c.req.raw, UPLOAD_MAX_BYTES);
      await local.acceptUpload(c.req.valid('param').token, c.req.header('content-type'), body);
      return c.body(null, 204);
    },
  );

  app.openapi(
    secureRoute(deps, 'public', {
      method: 'get',
      path: '/v1/attachments/download/{token}',
      tags,
      summary: 'Download the bytes of an attachment (local platform only; on AWS the link points at S3)',
      request: { params: TokenParam },
      responses: {
        200: {
          description: 'The attachment',
          content: Object.fromEntries(allowedContentTypes.map((type) => [type, { schema: binary }])),
        },
        ...errorResponses(403, 404),
      },
    }),
    async (c) => {
      const download = await local.readDownload(c.req.valid('param').token);
      const headers: Record<string, string> = {
        'content-type': download.contentType,
        'content-length': String(download.body.byteLength),
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      };
      if (download.contentDisposition) headers['content-disposition'] = download.contentDisposition;
      // Read from a file into an ordinary (not shared) buffer.
      return c.body(download.body as Uint8Array<ArrayBuffer>, 200, headers);
    },
  );
};
