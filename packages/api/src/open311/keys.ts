import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, IdSchema, isId, newId } from '@civicgrid/domain';
import type { KeySpec, NewItem, StoredItem, TenantStore } from '@civicgrid/storage';
import { z } from '@hono/zod-openapi';
import type { ApiModule } from '../app';
import { auditOp } from '../audit/audit-log';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';

/**
 * An Open311 client application's key. Only a hash of the secret is stored: the key is shown
 * once, when issued. Keys carry 256 random bits, so a plain SHA-256 suffices (no stretching).
 */
export interface Open311Key {
  id: string;
  name: string;
  /** SHA-256 of the secret part, hex. */
  secretHash: string;
  status: 'active' | 'revoked';
  /** Requests this client may post per hour. */
  postsPerHour: number;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

const KEY_PREFIX = 'o311';
const keyKey = (id: string): KeySpec => ({ pk: ['open311-key', id], sk: ['meta'] });
const keyItem = (key: Open311Key): NewItem<Open311Key> => ({
  key: keyKey(key.id),
  entity: 'open311-key',
  data: key,
  indexes: { GSI1: { pk: ['open311-keys'], sk: [key.id] } },
});

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** `o311.<key id>.<secret>`: the id finds the record, the secret proves the client holds the key. */
const KEY_PATTERN = /^o311\.([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/;

/** The active key an `api_key` names in this city, or undefined (unknown, malformed, revoked). */
export const verifyApiKey = async (tenant: TenantStore, apiKey: string): Promise<Open311Key | undefined> => {
  const match = KEY_PATTERN.exec(apiKey);
  if (!match?.[1] || !match[2] || !isId(match[1])) return undefined;
  const found = await tenant.get<Open311Key>(keyKey(match[1]), { consistentRead: true });
  if (found?.data.status !== 'active') return undefined;
  const given = Buffer.from(hashOf(match[2]), 'hex');
  const stored = Buffer.from(found.data.secretHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored) ? found.data : undefined;
};

const KeyViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['active', 'revoked']),
    postsPerHour: z.number(),
    createdAt: z.string(),
    createdBy: z.string(),
    revokedAt: z.string().optional(),
    revokedBy: z.string().optional(),
  })
  .openapi('Open311Key');

const view = ({ secretHash: _hash, ...rest }: Open311Key) => rest;

const allKeys = async (tenant: TenantStore): Promise<StoredItem<Open311Key>[]> => {
  const items: StoredItem<Open311Key>[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.query<Open311Key>({ index: 'GSI1', pk: ['open311-keys'], limit: 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
};

/** The city admin issues and revokes the keys of the Open311 client applications it admits. */
export const open311KeysModule: ApiModule = (app, deps) => {
  const tags = ['open311'];

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'get',
      path: '/v1/settings/open311-keys',
      tags,
      summary: 'The Open311 API keys of the city’s client applications (never the keys themselves)',
      responses: {
        200: {
          description: 'Keys, oldest first',
          content: { 'application/json': { schema: z.object({ items: z.array(KeyViewSchema) }) } },
        },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json({ items: (await allKeys(c.get('tenant'))).map((k) => view(k.data)) }, 200),
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/settings/open311-keys',
      tags,
      summary: 'Issue an Open311 API key to a client application; the key is shown only in this answer',
      request: {
        body: jsonBody(
          z.strictObject({
            name: z.string().trim().min(1).max(80),
            postsPerHour: z.number().int().min(1).max(10_000).default(300),
          }),
        ),
      },
      responses: {
        201: {
          description: 'Issued',
          content: { 'application/json': { schema: KeyViewSchema.extend({ apiKey: z.string() }) } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const tenant = c.get('tenant');
      const principal = c.get('principal');
      const body = c.req.valid('json');
      const secret = randomBytes(32).toString('base64url');
      const key: Open311Key = {
        id: newId(deps.clock.now().getTime()),
        name: body.name,
        secretHash: hashOf(secret),
        status: 'active',
        postsPerHour: body.postsPerHour,
        createdAt: deps.clock.now().toISOString(),
        createdBy: principal.userId,
      };
      await tenant.transact([
        { kind: 'create', item: keyItem(key) },
        auditOp(deps.clock, {
          principal,
          requestId: c.get('requestId'),
          action: 'open311_key.issue',
          target: { type: 'open311-key', id: key.id },
          changes: { name: key.name, postsPerHour: key.postsPerHour },
        }),
      ]);
      return c.json({ ...view(key), apiKey: `${KEY_PREFIX}.${key.id}.${secret}` }, 201);
    },
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'post',
      path: '/v1/settings/open311-keys/{keyId}/revoke',
      tags,
      summary: 'Revoke an Open311 API key: its client can no longer post requests',
      request: { params: z.object({ keyId: IdSchema }) },
      responses: {
        200: { description: 'Revoked', content: { 'application/json': { schema: KeyViewSchema } } },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const tenant = c.get('tenant');
      const principal = c.get('principal');
      const found = await tenant.get<Open311Key>(keyKey(c.req.valid('param').keyId), {
        consistentRead: true,
      });
      if (!found) throw new AppError('not_found', 'No such Open311 key.');
      if (found.data.status === 'revoked') return c.json(view(found.data), 200);
      const revoked: Open311Key = {
        ...found.data,
        status: 'revoked',
        revokedAt: deps.clock.now().toISOString(),
        revokedBy: principal.userId,
      };
      await tenant.transact([
        { kind: 'replace', item: keyItem(revoked), previous: found },
        auditOp(deps.clock, {
          principal,
          requestId: c.get('requestId'),
          action: 'open311_key.revoke',
          target: { type: 'open311-key', id: revoked.id },
        }),
      ]);
      return c.json(view(revoked), 200);
    },
  );
};
