import { createHmac } from 'node:crypto';
import { type ApiDeps, type ApiEnv, type ApiModule, capabilityModules } from '@civicgrid/api';
import { DEMO_TENANT } from '@civicgrid/local';
import { OpenAPIHono } from '@hono/zod-openapi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assertAttachmentsUploaded,
  attachmentsModule,
  isUploadPath,
  UPLOAD_MAX_BYTES,
} from '../../packages/api/src/attachments/routes';
import { onError } from '../../packages/api/src/http/errors';
import { createTestApi, type TestApi } from '../support/api';

/** The secret test/support/api.ts gives its LocalAttachmentStore; used to forge tokens the store never issued. */
const SECRET = 'test-attachment-secret-0123456789';
const OTHER = 'other-city';
const PHOTO = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 2, 3, 0xff, 0xd9]);

interface Ticket {
  attachmentId: string;
  uploadUrl: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: string;
}

let api: TestApi;
let deps: ApiDeps;
const tokens: Record<string, string> = {};

/** Catches the deps the app was built with, for the service-level helper. */
const captureDeps: ApiModule = (_app, d) => {
  deps = d;
};

const createTicket = async (who: string, body: Record<string, unknown>) =>
  api.call('POST', '/v1/attachments', { token: tokens[who], body });

const photoTicket = async (who = 'gridworker', extra: Record<string, unknown> = {}): Promise<Ticket> => {
  const created = await createTicket(who, {
    contentType: 'image/jpeg',
    sizeBytes: PHOTO.byteLength,
    ...extra,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as Ticket;
};

const put = async (url: string, body: Uint8Array, headers: Record<string, string>) => {
  const response = await api.app.request(url, { method: 'PUT', headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

const upload = (ticket: Ticket, body = PHOTO) => put(ticket.uploadUrl, body, ticket.headers);

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

const sign = (claims: Record<string, unknown>) => {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
};

beforeAll(async () => {
  api = await createTestApi({ app: { modules: [...capabilityModules, captureDeps] } });
  for (const who of ['admin', 'gridworker', 'urbanmgmt', 'citizen', 'street']) {
    tokens[who] = await api.login(DEMO_TENANT, who);
  }
  tokens.operator = await api.login('platform', 'operator');
  const onboarded = await api.call('POST', '/v1/tenants', {
    token: tokens.operator,
    body: {
      id: OTHER,
      name: '另一城市 Other city',
      divisionCode: '310000',
      admin: { username: 'admin', displayName: 'B admin', password: 'b-admin-password' },
    },
  });
  expect(onboarded.status).toBe(201);
  tokens.bAdmin = await api.login(OTHER, 'admin', 'b-admin-password');
});

describe('attachments through the API', () => {
  it('round-trips a grid worker’s photo: ticket, upload, meta with a download URL, download', async () => {
    const ticket = await photoTicket('gridworker', { fileName: 'DCIM/井盖破损.jpg' });
    expect(ticket).toEqual({
      attachmentId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      uploadUrl: expect.stringMatching(/^\/v1\/attachments\/upload\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg', 'Content-Length': String(PHOTO.byteLength) },
      expiresAt: '2026-05-01T00:15:00.000Z',
    });
    expect(ticket).not.toHaveProperty('key');

    expect((await upload(ticket)).status).toBe(204);

    const gridworker = await api.call('GET', '/v1/me', { token: tokens.gridworker });
    const meta = await api.call('GET', `/v1/attachments/${ticket.attachmentId}`, {
      token: tokens.gridworker,
    });
    expect(meta.status).toBe(200);
    expect(meta.body).toEqual({
      attachmentId: ticket.attachmentId,
      contentType: 'image/jpeg',
      sizeBytes: PHOTO.byteLength,
      fileName: '井盖破损.jpg',
      uploadedBy: gridworker.body.id,
      createdAt: '2026-05-01T00:00:00.000Z',
      downloadUrl: expect.stringMatching(/^\/v1\/attachments\/download\//),
      downloadExpiresAt: '2026-05-01T00:15:00.000Z',
    });

    const download = await api.app.request(meta.body.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(download.headers.get('content-disposition')).toBe(
      `inline; filename="____.jpg"; filename*=UTF-8''${encodeURIComponent('井盖破损.jpg')}`,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PHOTO);

    // Another reader in the tenant gets it too.
    const street = await api.call('GET', `/v1/attachments/${ticket.attachmentId}`, { token: tokens.street });
    expect(street.status).toBe(200);
  });

  it('lets every role that acts on cases ask for a ticket, and no one else', async () => {
    for (const who of ['citizen', 'urbanmgmt', 'street', 'admin']) {
      const created = await createTicket(who, { contentType: 'image/png', sizeBytes: 10 });
      expect(created.status, who).toBe(201);
    }
    const refused = await createTicket('operator', { contentType: 'image/png', sizeBytes: 10 });
    expect(refused.status).toBe(403);
    const anonymous = await api.call('POST', '/v1/attachments', {
      body: { contentType: 'image/png', sizeBytes: 10 },
    });
    expect(anonymous.status).toBe(401);
  });

  it('refuses tickets for other types, sizes or fields', async () => {
    for (const body of [
      { contentType: 'text/html', sizeBytes: 10 },
      { contentType: 'image/svg+xml', sizeBytes: 10 },
      { contentType: 'image/png', sizeBytes: 0 },
      { contentType: 'image/png', sizeBytes: 1.5 },
      { contentType: 'image/png', sizeBytes: UPLOAD_MAX_BYTES + 1 },
      { contentType: 'image/png', sizeBytes: 10, tenantId: OTHER },
      { contentType: 'image/png' },
    ]) {
      const refused = await createTicket('citizen', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
    }
    const badName = await createTicket('citizen', {
      contentType: 'image/png',
      sizeBytes: 10,
      fileName: 'a\r\nSet-Cookie: x.png',
    });
    expect(badName.status).toBe(400);
    expect(badName.body.error.details).toMatchObject({ code: 'invalid_file_name' });
  });

  it('refuses an upload of another content type or size, and keeps the ticket usable', async () => {
    const ticket = await photoTicket('citizen');
    const wrongType = await put(ticket.uploadUrl, PHOTO, {
      ...ticket.headers,
      'Content-Type': 'image/png',
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatchObject({
      code: 'validation_failed',
      details: { code: 'content_type_mismatch' },
    });
    const shorter = PHOTO.subarray(1);
    const wrongSize = await put(ticket.uploadUrl, shorter, {
      'Content-Type': 'image/jpeg',
      'Content-Length': String(shorter.byteLength),
    });
    expect(wrongSize.status).toBe(400);
    expect(wrongSize.body.error).toMatchObject({
      code: 'validation_failed',
      details: { code: 'size_mismatch' },
    });
    const notUploaded = await api.call('GET', `/v1/attachments/${ticket.attachmentId}`, {
      token: tokens.citizen,
    });
    expect(notUploaded.status).toBe(404);

    expect((await upload(ticket)).status).toBe(204);
    const meta = await api.call('GET', `/v1/attachments/${ticket.attachmentId}`, { token: tokens.citizen });
    expect(meta.status).toBe(200);
  });

  it('refuses a body declared larger than the limit before reading it', async () => {
    const ticket = await photoTicket('citizen');
    const refused = await put(ticket.uploadUrl, PHOTO, {
      'Content-Type': 'image/jpeg',
      'Content-Length': String(UPLOAD_MAX_BYTES + 1),
    });
    expect(refused.status).toBe(413);
    expect(refused.body.error.code).toBe('payload_too_large');
  });

  it('refuses tampered tokens, and a token signed for another tenant’s key', async () => {
    const ticket = await photoTicket('gridworker');
    const token = tokenOf(ticket.uploadUrl);
    const claims = claimsOf(token);
    expect(claims).toMatchObject({ tenantId: DEMO_TENANT });

    // Claims rewritten without the secret: the signature no longer matches.
    const rewritten = `${Buffer.from(JSON.stringify({ ...claims, tenantId: OTHER })).toString('base64url')}.${token.split('.')[1]}`;
    const tampered = await put(`/v1/attachments/upload/${rewritten}`, PHOTO, ticket.headers);
    expect(tampered.status).toBe(403);
    expect(tampered.body.error).toMatchObject({ code: 'forbidden', details: { code: 'invalid_token' } });

    // Even a validly signed token cannot aim tenant B at tenant A's key.
    const foreign = sign({ ...claims, tenantId: OTHER });
    const refused = await put(`/v1/attachments/upload/${foreign}`, PHOTO, ticket.headers);
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('not_found');

    const download = await api.app.request(
      `/v1/attachments/download/${sign({
        purpose: 'download',
        tenantId: OTHER,
        key: claims.key,
        exp: Date.parse('2026-05-02T00:00:00Z'),
      })}`,
    );
    expect(download.status).toBe(404);

    // An upload token is no download token.
    const swapped = await api.app.request(`/v1/attachments/download/${token}`);
    expect(swapped.status).toBe(403);

    expect((await upload(ticket)).status).toBe(204);
  });

  it('answers 404 not_uploaded for a ticket never uploaded, and 404 for an unknown id', async () => {
    const ticket = await photoTicket('gridworker');
    const pending = await api.call('GET', `/v1/attachments/${ticket.attachmentId}`, {
      token: tokens.gridworker,
    });
    expect(pending.status).toBe(404);
    expect(pending.body.error).toMatchObject({ code: 'not_found', details: { code: 'not_uploaded' } });

    const unknown = await api.call('GET', '/v1/attachments/01JNX7ZQ8M3V4W5X6Y7Z8A9B0C', {
      token: tokens.gridworker,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect(unknown.body.error.details).toBeUndefined();

    const malformed = await api.call('GET', '/v1/attachments/not-an-id', { token: tokens.gridworker });
    expect(malformed.status).toBe(400);
  });

  it('hides tenant A’s attachments from tenant B', async () => {
    const ticket = await photoTicket('gridworker');
    expect((await upload(ticket)).status).toBe(204);
    const seen = await api.call('GET', `/v1/attachments/${ticket.attachmentId}`, { token: tokens.bAdmin });
    expect(seen.status).toBe(404);
    expect(seen.body.error.code).toBe('not_found');
    await expect(
      assertAttachmentsUploaded(deps, api.store.tenant(OTHER), [ticket.attachmentId]),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: { code: 'attachment_missing', ids: [ticket.attachmentId] },
    });

    // B's own attachments work as A's do.
    const own = await photoTicket('bAdmin');
    expect((await upload(own)).status).toBe(204);
    expect(
      (await api.call('GET', `/v1/attachments/${own.attachmentId}`, { token: tokens.bAdmin })).status,
    ).toBe(200);
    expect(
      (await api.call('GET', `/v1/attachments/${own.attachmentId}`, { token: tokens.gridworker })).status,
    ).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('lists the attachment routes with their access', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-civicgrid-access'?: string }>>;
    };
    const access = (path: string, method: string) => doc.paths[path]?.[method]?.['x-civicgrid-access'];
    expect(access('/v1/attachments', 'post')).toBe('cases.act');
    expect(access('/v1/attachments/{attachmentId}', 'get')).toBe('cases.read');
    expect(access('/v1/attachments/upload/{token}', 'put')).toBe('public');
    expect(access('/v1/attachments/download/{token}', 'get')).toBe('public');
  });
});

describe('assertAttachmentsUploaded', () => {
  it('accepts uploaded ids and names each never-uploaded or unknown one', async () => {
    const tenant = api.store.tenant(DEMO_TENANT);
    const first = await photoTicket('gridworker');
    const second = await photoTicket('urbanmgmt');
    const pending = await photoTicket('gridworker');
    expect((await upload(first)).status).toBe(204);
    expect((await upload(second)).status).toBe(204);

    await expect(
      assertAttachmentsUploaded(deps, tenant, [first.attachmentId, second.attachmentId, first.attachmentId]),
    ).resolves.toBeUndefined();
    await expect(assertAttachmentsUploaded(deps, tenant, [])).resolves.toBeUndefined();

    const unknown = '01JNX7ZQ8M3V4W5X6Y7Z8A9B0C';
    await expect(
      assertAttachmentsUploaded(deps, tenant, [
        first.attachmentId,
        pending.attachmentId,
        unknown,
        'photo-1.jpg',
      ]),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: { code: 'attachment_missing', ids: [pending.attachmentId, unknown, 'photo-1.jpg'] },
    });
  });
});

/**
 * The upload route on its own, without createApp's global body limit: it must bound the body
 * itself and take uploads larger than the ordinary JSON limit.
 */
describe('the local upload route outside the global body limit', () => {
  const bare = () => {
    const app = new OpenAPIHono<ApiEnv>();
    app.onError(onError);
    attachmentsModule(app, deps);
    return app;
  };

  it('takes an upload of several megabytes', async () => {
    const size = 3 * 1024 * 1024;
    const created = await createTicket('gridworker', { contentType: 'video/mp4', sizeBytes: size });
    expect(created.status).toBe(201);
    const body = new Uint8Array(size);
    for (let i = 0; i < size; i += 1) body[i] = i % 251;
    const response = await bare().request(created.body.uploadUrl, {
      method: 'PUT',
      headers: created.body.headers,
      body,
    });
    expect(response.status).toBe(204);
    const meta = await api.call('GET', `/v1/attachments/${created.body.attachmentId}`, {
      token: tokens.gridworker,
    });
    expect(meta.body.sizeBytes).toBe(size);
    const download = await api.app.request(meta.body.downloadUrl);
    // Buffer.equals: a deep toEqual over megabytes takes seconds.
    expect(Buffer.from(await download.arrayBuffer()).equals(body)).toBe(true);
  });

  it('stops reading a body without Content-Length once it passes the limit', async () => {
    const ticket = await photoTicket('gridworker');
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 64) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await bare().request(ticket.uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(sent).toBeLessThan(30);
  });

  it('names the upload path for the app’s body limit', () => {
    expect(isUploadPath('/v1/attachments/upload/abc.def')).toBe(true);
    expect(isUploadPath('/v1/attachments')).toBe(false);
    expect(isUploadPath('/v1/attachments/download/abc.def')).toBe(false);
    expect(isUploadPath('/v1/attachments/upload/abc/def')).toBe(false);
  });
});
