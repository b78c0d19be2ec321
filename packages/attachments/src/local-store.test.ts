import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError, ManualClock } from '@civicgrid/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalAttachmentStore } from './local-store';

const SECRET = 'local-attachment-secret-for-tests';
const BASE_URL = 'http://localhost:3000';
const PHOTO = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);

let directory: string;
let clock: ManualClock;
let store: LocalAttachmentStore;

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** Signs claims the way the store does, to build tokens the store itself would never issue. */
const forge = (claims: Record<string, unknown>, secret = SECRET) => {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
};

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

const photoTicket = (tenantId = 'dongcheng') =>
  store.createUpload({ tenantId, contentType: 'image/jpeg', sizeBytes: PHOTO.byteLength });

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'civicgrid-attachments-'));
  clock = new ManualClock('2026-03-15T08:00:00.000Z');
  store = new LocalAttachmentStore({ directory, baseUrl: `${BASE_URL}/`, secret: SECRET, clock });
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('LocalAttachmentStore', () => {
  it('round-trips an upload and a download', async () => {
    const ticket = await photoTicket();
    expect(ticket.key).toBe(`dongcheng/attachments/2026/03/${ticket.attachmentId}`);
    expect(ticket.uploadUrl.startsWith(`${BASE_URL}/v1/attachments/upload/`)).toBe(true);
    expect(ticket).toMatchObject({
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg', 'Content-Length': String(PHOTO.byteLength) },
      expiresAt: '2026-03-15T08:15:00.000Z',
    });
    expect(await store.head('dongcheng', ticket.attachmentId, ticket.key)).toBeUndefined();

    const accepted = await store.acceptUpload(tokenOf(ticket.uploadUrl), 'image/jpeg', PHOTO);
    expect(accepted).toEqual({
      tenantId: 'dongcheng',
      attachmentId: ticket.attachmentId,
      key: ticket.key,
      sizeBytes: PHOTO.byteLength,
      contentType: 'image/jpeg',
    });
    expect(new Uint8Array(await readFile(path.join(directory, ticket.key)))).toEqual(PHOTO);
    expect(await store.head('dongcheng', ticket.attachmentId, ticket.key)).toEqual({
      sizeBytes: PHOTO.byteLength,
      contentType: 'image/jpeg',
    });
    // No temporary files left beside the object.
    expect((await readdir(path.dirname(path.join(directory, ticket.key)))).sort()).toEqual([
      ticket.attachmentId,
      `${ticket.attachmentId}.meta.json`,
    ]);

    const download = await store.createDownload('dongcheng', ticket.key);
    expect(download.url.startsWith(`${BASE_URL}/v1/attachments/download/`)).toBe(true);
    expect(download.expiresAt).toBe('2026-03-15T08:15:00.000Z');
    const read = await store.readDownload(tokenOf(download.url));
    expect(read).toEqual({ body: PHOTO, contentType: 'image/jpeg' });
  });

  it('keeps the file name for the download', async () => {
    const ticket = await store.createUpload({
      tenantId: 'dongcheng',
      contentType: 'application/pdf',
      sizeBytes: 3,
      fileName: '整改通知书.pdf',
    });
    await store.acceptUpload(tokenOf(ticket.uploadUrl), 'application/pdf', new Uint8Array([1, 2, 3]));
    const read = await store.readDownload(tokenOf((await store.createDownload('dongcheng', ticket.key)).url));
    expect(read.contentDisposition).toBe(
      `inline; filename="_____.pdf"; filename*=UTF-8''${encodeURIComponent('整改通知书.pdf')}`,
    );
  });

  it('refuses an expired upload token and an expired download token', async () => {
    const ticket = await photoTicket();
    clock.advance(900_000);
    expect(await rejection(store.acceptUpload(tokenOf(ticket.uploadUrl), 'image/jpeg', PHOTO))).toMatchObject(
      {
        code: 'forbidden',
        details: { code: 'token_expired' },
      },
    );
    expect(await store.head('dongcheng', ticket.attachmentId, ticket.key)).toBeUndefined();

    const fresh = await photoTicket();
    await store.acceptUpload(tokenOf(fresh.uploadUrl), 'image/jpeg', PHOTO);
    const download = await store.createDownload('dongcheng', fresh.key);
    clock.advance(899_999);
    await expect(store.readDownload(tokenOf(download.url))).resolves.toMatchObject({
      contentType: 'image/jpeg',
    });
    clock.advance(1);
    await expect(store.readDownload(tokenOf(download.url))).rejects.toMatchObject({
      code: 'forbidden',
      details: { code: 'token_expired' },
    });
  });

  it('refuses tampered and foreign tokens', async () => {
    const ticket = await photoTicket();
    const token = tokenOf(ticket.uploadUrl);
    const [payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const bigger = Buffer.from(JSON.stringify({ ...claims, sizeBytes: 20 })).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;

    for (const candidate of [
      `${bigger}.${signature}`,
      `${payload}.${flipped}`,
      `${payload}.`,
      payload,
      'not-a-token',
      '',
      forge(claims, 'some-other-secret-of-enough-length'),
    ]) {
      const error = await rejection(store.acceptUpload(candidate, 'image/jpeg', PHOTO));
      expect(error, candidate).toBeInstanceOf(AppError);
      expect(error, candidate).toMatchObject({ code: 'forbidden', details: { code: 'invalid_token' } });
    }
    expect(await store.head('dongcheng', ticket.attachmentId, ticket.key)).toBeUndefined();
  });

  it('does not take a download token for an upload or the other way round', async () => {
    const ticket = await photoTicket();
    const download = await store.createDownload('dongcheng', ticket.key);
    await expect(store.acceptUpload(tokenOf(download.url), 'image/jpeg', PHOTO)).rejects.toMatchObject({
      details: { code: 'invalid_token' },
    });
    await expect(store.readDownload(tokenOf(ticket.uploadUrl))).rejects.toMatchObject({
      details: { code: 'invalid_token' },
    });
  });

  it('refuses a body of another content type or size', async () => {
    const ticket = await photoTicket();
    const token = tokenOf(ticket.uploadUrl);
    for (const contentType of ['image/png', 'image/jpeg; charset=binary', undefined]) {
      await expect(store.acceptUpload(token, contentType, PHOTO)).rejects.toMatchObject({
        code: 'validation_failed',
        details: { code: 'content_type_mismatch' },
      });
    }
    for (const body of [PHOTO.subarray(1), new Uint8Array(PHOTO.byteLength + 1), new Uint8Array()]) {
      await expect(store.acceptUpload(token, 'image/jpeg', body)).rejects.toMatchObject({
        code: 'validation_failed',
        details: { code: 'size_mismatch' },
      });
    }
    expect(await store.head('dongcheng', ticket.attachmentId, ticket.key)).toBeUndefined();
  });

  it('validates the upload request', async () => {
    await expect(
      store.createUpload({ tenantId: 'dongcheng', contentType: 'text/html' as 'image/png', sizeBytes: 10 }),
    ).rejects.toMatchObject({ code: 'validation_failed', details: { code: 'unsupported_content_type' } });
    await expect(
      store.createUpload({
        tenantId: 'dongcheng',
        contentType: 'image/png',
        sizeBytes: 20 * 1024 * 1024 + 1,
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', details: { code: 'too_large' } });
    await expect(
      store.createUpload({ tenantId: 'dongcheng', contentType: 'image/png', sizeBytes: 0 }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: { code: 'empty' },
    });
  });

  it("refuses another tenant's key", async () => {
    const ticket = await photoTicket();
    await store.acceptUpload(tokenOf(ticket.uploadUrl), 'image/jpeg', PHOTO);
    await expect(store.head('xicheng', ticket.attachmentId, ticket.key)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(store.createDownload('xicheng', ticket.key)).rejects.toMatchObject({ code: 'not_found' });
    // Even a validly signed token cannot name a key outside its own tenant's prefix.
    const forged = forge({
      purpose: 'download',
      tenantId: 'xicheng',
      key: ticket.key,
      exp: Date.parse('2027-01-01'),
    });
    await expect(store.readDownload(forged)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses keys that would leave the tenant prefix or the directory', async () => {
    const ticket = await photoTicket();
    const id = ticket.attachmentId;
    for (const key of [
      `dongcheng/attachments/2026/03/../../../xicheng/attachments/2026/03/${id}`,
      `dongcheng/../../outside/${id}`,
      `dongcheng/attachments/2026/03/${id}/../../../../../../etc/passwd`,
      `/dongcheng/attachments/2026/03/${id}`,
    ]) {
      await expect(store.head('dongcheng', id, key), key).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.createDownload('dongcheng', key), key).rejects.toMatchObject({ code: 'not_found' });
      const upload = forge({
        purpose: 'upload',
        tenantId: 'dongcheng',
        key,
        contentType: 'image/jpeg',
        sizeBytes: PHOTO.byteLength,
        exp: Date.parse('2027-01-01'),
      });
      await expect(store.acceptUpload(upload, 'image/jpeg', PHOTO), key).rejects.toMatchObject({
        code: 'not_found',
      });
    }
    expect(await readdir(directory)).toEqual([]);
    expect(await readdir(path.dirname(directory))).not.toContain('outside');
  });

  it('reports a missing object as not found on download', async () => {
    const ticket = await photoTicket();
    const download = await store.createDownload('dongcheng', ticket.key);
    await expect(store.readDownload(tokenOf(download.url))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a short secret', () => {
    expect(() => new LocalAttachmentStore({ directory, baseUrl: BASE_URL, secret: 'short' })).toThrow(
      RangeError,
    );
    expect(
      () => new LocalAttachmentStore({ directory, baseUrl: BASE_URL, secret: new Uint8Array(32).fill(7) }),
    ).not.toThrow();
  });
});
