import { createHash, createHmac } from 'node:crypto';
import { AppError, isId, ManualClock } from '@civicgrid/domain';
import { HttpResponse } from '@smithy/core/transport';
import type { AwsCredentialIdentity, HttpRequest } from '@smithy/types';
import { describe, expect, it, vi } from 'vitest';
import { MAX_ATTACHMENT_BYTES, type UploadRequest } from './attachment';
import { S3AttachmentStore, S3RequestError, type S3RequestHandler } from './s3-store';

// Ids are random; the fixtures below need a known one, so a test can pin the next id.
const pinnedIds: string[] = [];
vi.mock('@civicgrid/domain', async (importOriginal) => {
  const domain = await importOriginal<typeof import('@civicgrid/domain')>();
  return { ...domain, newId: (now?: number) => pinnedIds.shift() ?? domain.newId(now) };
});

const BUCKET = 'civicgrid-attachments';
const REGION = 'cn-north-1';
const HOST = `${BUCKET}.s3.cn-north-1.amazonaws.com.cn`;
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const FIXED_ID = '01JNX7ZQ8M3V4W5X6Y7Z8A9B0C';
const FIXED_KEY = `dongcheng/attachments/2026/03/${FIXED_ID}`;

/** A request handler standing in for S3: records what it was sent, answers from a script. */
const fakeS3 = (...answers: Array<number | Error>) => {
  const requests: HttpRequest[] = [];
  const handler: S3RequestHandler = {
    handle: async (request) => {
      requests.push(request);
      const answer = answers.shift() ?? 200;
      if (answer instanceof Error) throw answer;
      return {
        response: new HttpResponse({
          statusCode: answer,
          headers:
            answer === 200
              ? { 'content-length': '48213', 'content-type': 'image/jpeg', 'x-amz-request-id': 'R1' }
              : { 'x-amz-request-id': 'R1' },
        }),
      };
    },
  };
  return { handler, requests };
};

const newStore = (
  options: Partial<ConstructorParameters<typeof S3AttachmentStore>[0]> = {},
  clock = new ManualClock('2026-03-15T08:00:00.000Z'),
) =>
  new S3AttachmentStore({
    bucket: BUCKET,
    region: REGION,
    credentials: CREDENTIALS,
    clock,
    requestHandler: fakeS3().handler,
    ...options,
  });

const signedHeaders = (url: URL) => (url.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';');

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

// ---- SigV4 as AWS documents it, written out with node:crypto, independent of the signer used ----
const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const expectedSignature = (options: {
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  signedHeaders: string[];
  payloadHash: string;
  date: string;
  scope: string;
  secret: string;
}): string => {
  const lower = Object.fromEntries(Object.entries(options.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalRequest = [
    options.method,
    options.path,
    options.query
      .map(([k, v]) => [rfc3986(k), rfc3986(v)])
      .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&'),
    ...options.signedHeaders.map((name) => `${name}:${(lower[name] ?? '').trim().replace(/\s+/g, ' ')}`),
    '',
    options.signedHeaders.join(';'),
    options.payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', options.date, options.scope, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const [day = '', region = '', service = ''] = options.scope.split('/');
  const key = hmac(hmac(hmac(hmac(`AWS4${options.secret}`, day), region), service), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
};

/** Would S3 accept this presigned URL sent with these headers? */
const verifiesPresigned = (method: string, href: string, headers: Record<string, string>) => {
  const url = new URL(href);
  const credential = url.searchParams.get('X-Amz-Credential') ?? '';
  const signature = expectedSignature({
    method,
    path: url.pathname,
    query: [...url.searchParams].filter(([name]) => name !== 'X-Amz-Signature'),
    headers: { ...headers, host: url.host },
    signedHeaders: signedHeaders(url),
    payloadHash: 'UNSIGNED-PAYLOAD',
    date: url.searchParams.get('X-Amz-Date') ?? '',
    scope: credential.slice(credential.indexOf('/') + 1),
    secret: CREDENTIALS.secretAccessKey,
  });
  return signature === url.searchParams.get('X-Amz-Signature');
};

describe('S3AttachmentStore', () => {
  describe('createUpload', () => {
    it('presigns a PUT that pins content type, length and encryption to the tenant-first key', async () => {
      const ticket = await newStore().createUpload({
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
      expect(url.protocol).toBe('https:');
      expect(url.hostname).toBe(HOST);
      expect(url.pathname).toBe(`/${ticket.key}`);
      expect(signedHeaders(url)).toEqual([
        'content-length',
        'content-type',
        'host',
        'x-amz-server-side-encryption',
      ]);
      expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
      expect(url.searchParams.get('X-Amz-Credential')).toBe(
        'AKIDEXAMPLE/20260315/cn-north-1/s3/aws4_request',
      );
      expect(url.searchParams.get('X-Amz-Content-Sha256')).toBe('UNSIGNED-PAYLOAD');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
      expect(url.searchParams.get('X-Amz-Date')).toBe('20260315T080000Z');
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      // Encryption travels as a signed header the uploader must send, not as a query parameter.
      expect(url.searchParams.has('x-amz-server-side-encryption')).toBe(false);
      expect([...url.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);

      expect(verifiesPresigned('PUT', ticket.uploadUrl, ticket.headers)).toBe(true);
      // A different size, type or no encryption header does not match the signature.
      expect(
        verifiesPresigned('PUT', ticket.uploadUrl, { ...ticket.headers, 'Content-Length': '48214' }),
      ).toBe(false);
      expect(
        verifiesPresigned('PUT', ticket.uploadUrl, { ...ticket.headers, 'Content-Type': 'text/html' }),
      ).toBe(false);
      const { 'x-amz-server-side-encryption': _, ...unencrypted } = ticket.headers;
      expect(verifiesPresigned('PUT', ticket.uploadUrl, unencrypted)).toBe(false);
    });

    // Made by @aws-sdk/client-s3 3.1169.0 and @aws-sdk/s3-request-presigner 3.1169.0 (getSignedUrl of
    // the PutObjectCommand this store used to build), for the same key, clock and credentials.
    it('makes the URL the SDK presigner made for the same inputs', async () => {
      pinnedIds.push(FIXED_ID);
      const ticket = await newStore().createUpload({
        tenantId: 'dongcheng',
        contentType: 'image/heic',
        sizeBytes: 1_000,
      });
      expect(ticket.key).toBe(FIXED_KEY);
      expect(ticket.uploadUrl).toBe(
        `https://${HOST}/${FIXED_KEY}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=AKIDEXAMPLE%2F20260315%2Fcn-north-1%2Fs3%2Faws4_request&X-Amz-Date=20260315T080000Z&X-Amz-Expires=900&X-Amz-Signature=1c23b71f32496605972568b2492e40077c0e697a64526ecdda9200b3e84e8324&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bx-amz-server-side-encryption&x-id=PutObject`,
      );
    });

    it('puts the session token of temporary credentials into the URL, as the SDK presigner did', async () => {
      pinnedIds.push(FIXED_ID, FIXED_ID);
      const store = newStore({
        credentials: async () => ({ ...CREDENTIALS, sessionToken: 'SESSIONTOKEN/abc+def=' }),
      });
      const ticket = await store.createUpload({
        tenantId: 'dongcheng',
        contentType: 'image/heic',
        sizeBytes: 1_000,
        fileName: 'DCIM/井盖破损 (1).heic',
      });
      expect(ticket.uploadUrl).toBe(
        `https://${HOST}/${FIXED_KEY}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=AKIDEXAMPLE%2F20260315%2Fcn-north-1%2Fs3%2Faws4_request&X-Amz-Date=20260315T080000Z&X-Amz-Expires=900&X-Amz-Security-Token=SESSIONTOKEN%2Fabc%2Bdef%3D&X-Amz-Signature=e1d05734129138b82900d4d5caeb532b6fe3ff5e84c744aaffd75b1b44ada3f3&X-Amz-SignedHeaders=content-disposition%3Bcontent-length%3Bcontent-type%3Bhost%3Bx-amz-server-side-encryption&x-id=PutObject`,
      );
      expect(verifiesPresigned('PUT', ticket.uploadUrl, ticket.headers)).toBe(true);
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
      expect(signedHeaders(new URL(ticket.uploadUrl))).toEqual([
        'content-disposition',
        'content-length',
        'content-type',
        'host',
        'x-amz-server-side-encryption',
      ]);
      expect(verifiesPresigned('PUT', ticket.uploadUrl, ticket.headers)).toBe(true);
      const { 'Content-Disposition': _, ...withoutName } = ticket.headers;
      expect(verifiesPresigned('PUT', ticket.uploadUrl, withoutName)).toBe(false);
    });

    it('uses the configured lifetime and the clock month in the key', async () => {
      const store = newStore({ expiresInSeconds: 60 }, new ManualClock('2026-12-31T23:59:59.000Z'));
      const ticket = await store.createUpload({
        tenantId: 'xicheng',
        contentType: 'application/pdf',
        sizeBytes: 1,
      });
      expect(ticket.key).toMatch(/^xicheng\/attachments\/2026\/12\//);
      const url = new URL(ticket.uploadUrl);
      expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
      expect(url.searchParams.get('X-Amz-Date')).toBe('20261231T235959Z');
      expect(ticket.expiresAt).toBe('2027-01-01T00:00:59.000Z');
      expect(verifiesPresigned('PUT', ticket.uploadUrl, ticket.headers)).toBe(true);
    });

    it("addresses the bucket in its own region's partition", async () => {
      const store = newStore({ region: 'ap-east-1' });
      const url = new URL(
        (await store.createUpload({ tenantId: 'dongcheng', contentType: 'image/png', sizeBytes: 1 }))
          .uploadUrl,
      );
      expect(url.hostname).toBe(`${BUCKET}.s3.ap-east-1.amazonaws.com`);
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(/\/ap-east-1\/s3\/aws4_request$/);
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
    const id = FIXED_ID;
    const key = FIXED_KEY;

    it('sends a HEAD of the key signed with SigV4 and returns the stored size and type', async () => {
      const s3 = fakeS3(200);
      expect(await newStore({ requestHandler: s3.handler }).head('dongcheng', id, key)).toEqual({
        sizeBytes: 48_213,
        contentType: 'image/jpeg',
      });
      expect(s3.requests).toHaveLength(1);
      const [request] = s3.requests as [HttpRequest];
      expect(request).toMatchObject({ method: 'HEAD', protocol: 'https:', hostname: HOST, path: `/${key}` });
      expect(request.query).toEqual({});
      const headers = request.headers;
      const authorization =
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/(\d{8}\/cn-north-1\/s3\/aws4_request), SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
          headers.authorization ?? '',
        );
      expect(authorization).not.toBeNull();
      const [, scope = '', signed = '', signature] = authorization ?? [];
      expect(signed.split(';')).toEqual(['host', 'x-amz-content-sha256', 'x-amz-date']);
      expect(headers.host).toBe(HOST);
      const emptyHash = sha256Hex('');
      expect(headers['x-amz-content-sha256']).toBe(emptyHash);
      expect(scope.slice(0, 8)).toBe((headers['x-amz-date'] ?? '').slice(0, 8));
      expect(signature).toBe(
        expectedSignature({
          method: 'HEAD',
          path: `/${key}`,
          query: [],
          headers,
          signedHeaders: signed.split(';'),
          payloadHash: emptyHash,
          date: headers['x-amz-date'] ?? '',
          scope,
          secret: CREDENTIALS.secretAccessKey,
        }),
      );
    });

    it('signs with temporary credentials and resolves them once while they are fresh', async () => {
      const s3 = fakeS3(200, 200);
      const provider = vi.fn(
        async (): Promise<AwsCredentialIdentity> => ({
          ...CREDENTIALS,
          sessionToken: 'TOKEN',
          expiration: new Date(Date.now() + 3_600_000),
        }),
      );
      const store = newStore({ credentials: provider, requestHandler: s3.handler });
      await store.head('dongcheng', id, key);
      await store.head('dongcheng', id, key);
      expect(provider).toHaveBeenCalledTimes(1);
      expect(s3.requests[1]?.headers['x-amz-security-token']).toBe('TOKEN');
      expect(s3.requests[1]?.headers.authorization).toMatch(/SignedHeaders=[^,]*x-amz-security-token/);
    });

    it('resolves credentials again once they are within five minutes of expiring', async () => {
      const s3 = fakeS3(200, 200);
      const fresh = [
        { ...CREDENTIALS, sessionToken: 'EXPIRING', expiration: new Date(Date.now() + 60_000) },
        { ...CREDENTIALS, sessionToken: 'FRESH', expiration: new Date(Date.now() + 3_600_000) },
      ];
      const provider = vi.fn(async (): Promise<AwsCredentialIdentity> => fresh.shift() ?? CREDENTIALS);
      const store = newStore({ credentials: provider, requestHandler: s3.handler });
      await store.head('dongcheng', id, key);
      await store.head('dongcheng', id, key);
      expect(provider).toHaveBeenCalledTimes(2);
      expect(s3.requests.map((request) => request.headers['x-amz-security-token'])).toEqual([
        'FRESH',
        'FRESH',
      ]);
    });

    it('maps a missing object (404) to undefined', async () => {
      const s3 = fakeS3(404);
      expect(await newStore({ requestHandler: s3.handler }).head('dongcheng', id, key)).toBeUndefined();
      expect(s3.requests).toHaveLength(1);
    });

    it('lets other errors propagate, named and with their status', async () => {
      const s3 = fakeS3(403);
      const error = await rejection(newStore({ requestHandler: s3.handler }).head('dongcheng', id, key));
      expect(error).toBeInstanceOf(S3RequestError);
      expect(error).toMatchObject({
        name: 'Forbidden',
        $metadata: { httpStatusCode: 403, requestId: 'R1' },
      });
      expect(s3.requests).toHaveLength(1);
    });

    it('retries server errors and dropped connections, then gives up after three attempts', async () => {
      const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      const recovering = fakeS3(503, reset, 200);
      expect(await newStore({ requestHandler: recovering.handler }).head('dongcheng', id, key)).toMatchObject(
        {
          sizeBytes: 48_213,
        },
      );
      expect(recovering.requests).toHaveLength(3);

      const down = fakeS3(500, 503, 503, 200);
      const error = await rejection(newStore({ requestHandler: down.handler }).head('dongcheng', id, key));
      expect(error).toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
      expect(down.requests).toHaveLength(3);
    });

    it('does not retry an error that is not transient', async () => {
      const broken = new TypeError('bad request');
      const s3 = fakeS3(broken);
      await expect(newStore({ requestHandler: s3.handler }).head('dongcheng', id, key)).rejects.toBe(broken);
      expect(s3.requests).toHaveLength(1);
    });

    it.each([
      ['another tenant', 'xicheng', id, key],
      ['a key of another attachment', 'dongcheng', '01JNX7ZQ8M3V4W5X6Y7Z8A9B0D', key],
      ['a traversing key', 'dongcheng', id, `dongcheng/../xicheng/attachments/2026/03/${id}`],
      ['a prefix look-alike tenant', 'dong', id, key],
    ])('refuses %s as not found without asking S3', async (_, tenantId, attachmentId, candidate) => {
      const s3 = fakeS3();
      const error = await rejection(
        newStore({ requestHandler: s3.handler }).head(tenantId, attachmentId, candidate),
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'not_found' });
      expect(s3.requests).toHaveLength(0);
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
      expect(url.hostname).toBe(HOST);
      expect(url.pathname).toBe(`/${key}`);
      expect(url.searchParams.get('x-id')).toBe('GetObject');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
      expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
      expect(url.searchParams.get('X-Amz-Credential')).toBe(
        'AKIDEXAMPLE/20260315/cn-north-1/s3/aws4_request',
      );
      expect(signedHeaders(url)).toEqual(['host']);
      expect(download.expiresAt).toBe('2026-03-15T08:15:00.000Z');
      expect(verifiesPresigned('GET', download.url, {})).toBe(true);
    });

    // The SDK presigner's URL for GetObject of the same key, clock and credentials (see above).
    it('makes the URL the SDK presigner made for the same inputs', async () => {
      const { url } = await newStore().createDownload('dongcheng', FIXED_KEY);
      expect(url).toBe(
        `https://${HOST}/${FIXED_KEY}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=AKIDEXAMPLE%2F20260315%2Fcn-north-1%2Fs3%2Faws4_request&X-Amz-Date=20260315T080000Z&X-Amz-Expires=900&X-Amz-Signature=22a1cddf3f737d2f599be1693625ea0974662d45352a4182cad6e1aa5f4f640a&X-Amz-SignedHeaders=host&x-amz-checksum-mode=ENABLED&x-id=GetObject`,
      );
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
    expect(() => newStore({ expiresInSeconds: 8 * 24 * 3600 })).toThrow(RangeError);
  });

  it.each([
    ['a dotted bucket, which virtual-hosted HTTPS cannot serve', { bucket: 'civicgrid.attachments' }],
    ['an upper-case bucket', { bucket: 'CivicGrid' }],
    ['a region that is not one', { region: 'cn-north-1.evil.example' }],
  ])('refuses %s', (_, options) => {
    expect(() => newStore(options)).toThrow(RangeError);
  });
});
