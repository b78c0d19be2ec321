import { HeadObjectCommand, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { AppError, isId, ManualClock } from '@civicgrid/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES, type UploadRequest } from './attachment';
import { S3AttachmentStore } from './s3-store';

const BUCKET = 'civicgrid-attachments';
const s3 = mockClient(S3Client);

// Presigning is local computation, so a real client with fixed credentials gives real URLs.
const newClient = () =>
  new S3Client({
    region: 'cn-north-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  });

const newStore = (clock = new ManualClock('2026-03-15T08:00:00.000Z')) =>
  new S3AttachmentStore(newClient(), BUCKET, { clock });

const signedHeaders = (url: URL) => (url.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';');

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

describe('S3AttachmentStore', () => {
  beforeEach(() => {
    s3.reset();
  });

  describe('createUpload', () => {
    it('presigns a PUT that pins content type, length and encryption to the tenant-first key', async () => {
      const store = newStore();
      const ticket = await store.createUpload({
        tenantId: 'dongcheng',
        contentType: 'image/jpeg',
        sizeBytes: 48_213,
      });

      expect(isId(ticket.attachmentId)).toBe(true);
      expect(ticket.key).toBe(`dongcheng/attachments/2026/03/${ticket.attachmentId}`);
      expect(ticket.method).toBe('PUT');
      expect(ticket.expiresAt).toBe('2026-03-15T08:15:00.000Z');
      expect(ticket.headers).toEqual({
        'Content-Type': 'image/jpeg',
        'Content-Length': '48213',
        'x-amz-server-side-encryption': 'AES256',
      });

      const url = new URL(ticket.uploadUrl);
      expect(url.hostname).toBe(`${BUCKET}.s3.cn-north-1.amazonaws.com.cn`);
      expect(url.pathname).toBe(`/${ticket.key}`);
      expect(signedHeaders(url)).toEqual(
        expect.arrayContaining(['content-length', 'content-type', 'host', 'x-amz-server-side-encryption']),
      );
      expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
      expect(url.searchParams.get('X-Amz-Date')).toBe('20260315T080000Z');
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      // Encryption travels as a signed header the uploader must send, not as a query parameter.
      expect(url.searchParams.has('x-amz-server-side-encryption')).toBe(false);
    });

    it('leaves the empty-body checksum of the default client out of the URL', async () => {
      const ticket = await newStore().createUpload({
        tenantId: 'dongcheng',
        contentType: 'image/png',
        sizeBytes: 10,
      });
      const params = [...new URL(ticket.uploadUrl).searchParams.keys()].map((name) => name.toLowerCase());
      expect(params.filter((name) => name.includes('checksum'))).toEqual([]);
      expect(signedHeaders(new URL(ticket.uploadUrl)).filter((name) => name.includes('checksum'))).toEqual(
        [],
      );
    });

    it('signs a Content-Disposition carrying the file name', async () => {
      const ticket = await newStore().createUpload({
        tenantId: 'dongcheng',
        contentType: 'image/heic',
        sizeBytes: 1_000,
        fileName: 'DCIM/井盖破损 (1).heic',
      });
      expect(ticket.headers['Content-Disposition']).toBe(
        `inline; filename="____ (1).heic"; filename*=UTF-8''%E4%BA%95%E7%9B%96%E7%A0%B4%E6%8D%9F%20%281%29.heic`,
      );
      expect(signedHeaders(new URL(ticket.uploadUrl))).toContain('content-disposition');
    });

    it('uses the configured lifetime and the clock month in the key', async () => {
      const store = new S3AttachmentStore(newClient(), BUCKET, {
        clock: new ManualClock('2026-12-31T23:59:59.000Z'),
        expiresInSeconds: 60,
      });
      const ticket = await store.createUpload({
        tenantId: 'xicheng',
        contentType: 'application/pdf',
        sizeBytes: 1,
      });
      expect(ticket.key).toMatch(/^xicheng\/attachments\/2026\/12\//);
      expect(new URL(ticket.uploadUrl).searchParams.get('X-Amz-Expires')).toBe('60');
      expect(ticket.expiresAt).toBe('2027-01-01T00:00:59.000Z');
    });

    it.each([
      ['unsupported_content_type', { contentType: 'text/html', sizeBytes: 10 }],
      ['unsupported_content_type', { contentType: 'image/svg+xml', sizeBytes: 10 }],
      ['too_large', { contentType: 'video/mp4', sizeBytes: MAX_ATTACHMENT_BYTES + 1 }],
      ['empty', { contentType: 'image/png', sizeBytes: 0 }],
      ['invalid_size', { contentType: 'image/png', sizeBytes: 1.5 }],
      ['invalid_size', { contentType: 'image/png', sizeBytes: -1 }],
      ['invalid_tenant', { tenantId: 'Dong/Cheng', contentType: 'image/png', sizeBytes: 10 }],
      ['invalid_file_name', { contentType: 'image/png', sizeBytes: 10, fileName: 'a\r\nSet-Cookie: x.png' }],
    ])('refuses %s', async (code, overrides) => {
      const request = { tenantId: 'dongcheng', ...overrides } as UploadRequest;
      const error = await rejection(newStore().createUpload(request));
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'validation_failed', details: { code } });
    });

    it('accepts exactly the maximum size', async () => {
      const ticket = await newStore().createUpload({
        tenantId: 'dongcheng',
        contentType: 'video/mp4',
        sizeBytes: MAX_ATTACHMENT_BYTES,
      });
      expect(ticket.headers['Content-Length']).toBe(String(MAX_ATTACHMENT_BYTES));
    });
  });

  describe('head', () => {
    const id = '01JNX7ZQ8M3V4W5X6Y7Z8A9B0C';
    const key = `dongcheng/attachments/2026/03/${id}`;

    it('returns the stored size and type', async () => {
      s3.on(HeadObjectCommand).resolves({ ContentLength: 48_213, ContentType: 'image/jpeg' });
      expect(await newStore().head('dongcheng', id, key)).toEqual({
        sizeBytes: 48_213,
        contentType: 'image/jpeg',
      });
      expect(s3.commandCalls(HeadObjectCommand).map((call) => call.args[0].input)).toEqual([
        { Bucket: BUCKET, Key: key },
      ]);
    });

    it('maps NotFound to undefined', async () => {
      s3.on(HeadObjectCommand).rejects(
        new NotFound({ $metadata: { httpStatusCode: 404 }, message: 'NotFound' }),
      );
      expect(await newStore().head('dongcheng', id, key)).toBeUndefined();
    });

    it('lets other errors propagate', async () => {
      const denied = new S3ServiceException({
        name: 'Forbidden',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'Forbidden',
      });
      s3.on(HeadObjectCommand).rejects(denied);
      await expect(newStore().head('dongcheng', id, key)).rejects.toBe(denied);
    });

    it.each([
      ['another tenant', 'xicheng', id, key],
      ['a key of another attachment', 'dongcheng', '01JNX7ZQ8M3V4W5X6Y7Z8A9B0D', key],
      ['a traversing key', 'dongcheng', id, `dongcheng/../xicheng/attachments/2026/03/${id}`],
      ['a prefix look-alike tenant', 'dong', id, key],
    ])('refuses %s as not found without asking S3', async (_, tenantId, attachmentId, candidate) => {
      const error = await rejection(newStore().head(tenantId, attachmentId, candidate));
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'not_found' });
      expect(s3.calls()).toHaveLength(0);
    });
  });

  describe('createDownload', () => {
    it('presigns a GET of the key', async () => {
      const store = newStore();
      const { key } = await store.createUpload({
        tenantId: 'dongcheng',
        contentType: 'audio/mpeg',
        sizeBytes: 5,
      });
      const download = await store.createDownload('dongcheng', key);
      const url = new URL(download.url);
      expect(url.hostname).toBe(`${BUCKET}.s3.cn-north-1.amazonaws.com.cn`);
      expect(url.pathname).toBe(`/${key}`);
      expect(url.searchParams.get('x-id')).toBe('GetObject');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
      expect(download.expiresAt).toBe('2026-03-15T08:15:00.000Z');
    });

    it("refuses another tenant's key", async () => {
      const store = newStore();
      const { key } = await store.createUpload({
        tenantId: 'dongcheng',
        contentType: 'audio/mpeg',
        sizeBytes: 5,
      });
      await expect(store.createDownload('xicheng', key)).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  it('refuses a lifetime longer than SigV4 allows', () => {
    expect(() => new S3AttachmentStore(newClient(), BUCKET, { expiresInSeconds: 8 * 24 * 3600 })).toThrow(
      RangeError,
    );
  });
});
