import { DEMO_TENANT } from '@civicgrid/local';
import { DOMParser, type Document } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api';

/**
 * Conformance with Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), written from the
 * specification: every resource in both formats, its errors, and the round trip of a request
 * posted by a client that knows only the specification.
 */
let api: TestApi;
const tokens: Record<string, string> = {};
let apiKey: string;
let point: [number, number];
let eventCode: string;
let componentCode: string;
const GRID = '110101001001001';
const BASE = `/open311/v2/${DEMO_TENANT}`;
let ip = 0;
const nextIp = (prefix: string) => {
  ip += 1;
  return `${prefix}.${Math.floor(ip / 250)}.${ip % 250}`;
};

interface Raw {
  status: number;
  type: string;
  text: string;
  json: () => unknown;
  xml: () => Document;
}

/** Each call from its own address unless told, so the per-address limits stay out of the way. */
const get = async (path: string, from = nextIp('10.1')): Promise<Raw> =>
  wrap(await api.app.request(path, { headers: { 'x-test-ip': from } }));

const post = async (path: string, form: Record<string, string> | string, from = nextIp('10.2')) =>
  wrap(
    await api.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-ip': from },
      body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
    }),
  );

/** Parses strictly: any well-formedness error fails the test. */
const parseXml = (text: string): Document => {
  const doc = new DOMParser({
    onError: (level, message) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(text, 'text/xml');
  return doc;
};

const wrap = async (response: Response): Promise<Raw> => {
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text,
    json: () => JSON.parse(text),
    xml: () => parseXml(text),
  };
};

const texts = (doc: Document, tag: string) => {
  const nodes = doc.getElementsByTagName(tag);
  return Array.from({ length: nodes.length }, (_, i) => nodes.item(i)?.textContent ?? '');
};

const pointInGrid = (grid: string) => api.pointInGrid(grid, tokens.admin);

const validRequest = (extra: Record<string, string> = {}) => ({
  api_key: apiKey,
  service_code: eventCode,
  lat: String(point[1]),
  long: String(point[0]),
  description: '小区门口垃圾堆积 <很多> & "臭"',
  media_url: 'https://photos.example.org/p/123.jpg',
  first_name: '小明',
  last_name: '王',
  phone: '138 1234 5678',
  email: 'wang@example.org',
  device_id: 'device-42',
  ...extra,
});

beforeAll(async () => {
  api = await createTestApi();
  for (const who of ['admin', 'street', 'district', 'gridworker', 'urbanmgmt']) {
    tokens[who] = await api.login(DEMO_TENANT, who);
  }
  point = await pointInGrid(GRID);
  const catalog = (await api.call('GET', '/v1/catalog', { token: tokens.admin })).body.catalog;
  eventCode = catalog.entries.find(
    (e: { departmentId: string; level: string; categoryCode: string }) =>
      e.departmentId === 'urban-enforcement' && e.level === 'street' && e.categoryCode.startsWith('E'),
  ).categoryCode;
  componentCode = catalog.entries.find((e: { categoryCode: string }) =>
    e.categoryCode.startsWith('C'),
  ).categoryCode;
  const issued = await api.call('POST', '/v1/settings/open311-keys', {
    token: tokens.admin,
    body: { name: '随手拍 App' },
  });
  expect(issued.status).toBe(201);
  apiKey = issued.body.apiKey;
});

describe('API keys', () => {
  it('are issued and revoked by the city admin, audited, and stored only as a hash', async () => {
    const issued = await api.call('POST', '/v1/settings/open311-keys', {
      token: tokens.admin,
      body: { name: 'Test client', postsPerHour: 5 },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.apiKey).toMatch(/^o311\.[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/);
    const list = await api.call('GET', '/v1/settings/open311-keys', { token: tokens.admin });
    expect(list.body.items.map((k: { id: string }) => k.id)).toContain(issued.body.id);
    expect(JSON.stringify(list.body)).not.toContain(issued.body.apiKey.split('.')[2]);
    // Only the hash is stored.
    const secret = issued.body.apiKey.split('.')[2];
    const stored = await api.store.tenant(DEMO_TENANT).get<Record<string, unknown>>({
      pk: ['open311-key', issued.body.id],
      sk: ['meta'],
    });
    expect(JSON.stringify(stored)).not.toContain(secret);

    expect((await post(`${BASE}/requests.json`, validRequest({ api_key: issued.body.apiKey }))).status).toBe(
      201,
    );
    const revoked = await api.call('POST', `/v1/settings/open311-keys/${issued.body.id}/revoke`, {
      token: tokens.admin,
    });
    expect(revoked.body.status).toBe('revoked');
    const refused = await post(`${BASE}/requests.json`, validRequest({ api_key: issued.body.apiKey }));
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual([{ code: 403, description: expect.any(String) }]);

    const audit = await api.call('GET', '/v1/audit', { token: tokens.admin });
    const actions = (audit.body.items as { action: string; target: { id: string } }[])
      .filter((e) => e.target.id === issued.body.id)
      .map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['open311_key.issue', 'open311_key.revoke']));
  });

  it('are the city admin’s alone', async () => {
    const street = await api.call('POST', '/v1/settings/open311-keys', {
      token: tokens.street,
      body: { name: 'x' },
    });
    expect(street.status).toBe(403);
    expect((await api.call('GET', '/v1/settings/open311-keys', { token: tokens.street })).status).toBe(403);
  });

  it('limit posts per key', async () => {
    const issued = await api.call('POST', '/v1/settings/open311-keys', {
      token: tokens.admin,
      body: { name: 'Slow client', postsPerHour: 1 },
    });
    const key = issued.body.apiKey;
    expect((await post(`${BASE}/requests.json`, validRequest({ api_key: key }))).status).toBe(201);
    const second = await post(`${BASE}/requests.xml`, validRequest({ api_key: key }));
    expect(second.status).toBe(429);
    expect(texts(second.xml(), 'code')).toEqual(['429']);
  });
});

describe('discovery and services', () => {
  it('serves discovery in both formats', async () => {
    const json = await get(`${BASE}/discovery.json`);
    expect(json.status).toBe(200);
    expect(json.type).toContain('application/json');
    const body = json.json() as { changeset: string; endpoints: Record<string, unknown>[] };
    expect(body.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
    expect(body.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: expect.stringMatching(new RegExp(`${BASE}$`)),
      type: 'production',
      formats: ['text/xml', 'application/json'],
    });
    const xml = await get(`${BASE}/discovery.xml`);
    expect(xml.type).toContain('text/xml');
    expect(xml.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const doc = xml.xml();
    expect(doc.documentElement?.tagName).toBe('discovery');
    expect(texts(doc, 'format')).toEqual(['text/xml', 'application/json']);
  });

  it('lists the city’s public categories as services, in both formats, with Chinese names', async () => {
    const json = await get(`${BASE}/services.json`);
    const services = json.json() as Record<string, unknown>[];
    expect(services.length).toBeGreaterThan(10);
    const event = services.find((s) => s.service_code === eventCode);
    expect(Object.keys(event ?? {})).toEqual([
      'service_code',
      'service_name',
      'description',
      'metadata',
      'type',
      'keywords',
      'group',
    ]);
    expect(event).toMatchObject({ metadata: false, type: 'realtime' });
    expect(event?.service_name).toMatch(/\p{Script=Han}/u);
    expect(services.find((s) => s.service_code === componentCode)?.metadata).toBe(true);

    const xml = await get(`${BASE}/services.xml`);
    const doc = xml.xml();
    expect(doc.documentElement?.tagName).toBe('services');
    expect(doc.getElementsByTagName('service').length).toBe(services.length);
    expect(texts(doc, 'service_name')).toEqual(services.map((s) => s.service_name));
    expect(texts(doc, 'metadata')).toContain('true');
  });

  it('defines a service’s typed attributes, in both formats', async () => {
    const json = await get(`${BASE}/services/${componentCode}.json`);
    expect(json.status).toBe(200);
    const definition = json.json() as { service_code: string; attributes: Record<string, unknown>[] };
    expect(definition.service_code).toBe(componentCode);
    expect(definition.attributes[0]).toMatchObject({
      variable: true,
      code: 'component_code',
      datatype: 'string',
      required: false,
      order: 1,
    });
    expect(definition.attributes[1]).toMatchObject({
      code: 'condition',
      datatype: 'singlevaluelist',
      values: expect.arrayContaining([{ key: 'damaged', name: '破损 Damaged' }]),
    });
    const doc = (await get(`${BASE}/services/${componentCode}.xml`)).xml();
    expect(doc.documentElement?.tagName).toBe('service_definition');
    expect(texts(doc, 'code')).toEqual(['component_code', 'condition']);
    expect(texts(doc, 'key')).toEqual(['missing', 'damaged', 'displaced', 'other']);
    // A service without metadata has an empty definition.
    expect((await get(`${BASE}/services/${eventCode}.json`)).json()).toEqual({
      service_code: eventCode,
      attributes: [],
    });
  });

  it('answers an unknown service with the spec’s 404 in the requested format', async () => {
    const json = await get(`${BASE}/services/E99-99.json`);
    expect(json.status).toBe(404);
    expect(json.json()).toEqual([{ code: 404, description: expect.stringContaining('service_code') }]);
    const xml = await get(`${BASE}/services/E99-99.xml`);
    expect(xml.status).toBe(404);
    const doc = xml.xml();
    expect(doc.documentElement?.tagName).toBe('errors');
    expect(texts(doc, 'code')).toEqual(['404']);
  });
});

describe('cities that take no requests', () => {
  it('answers an unknown city with 404 and a suspended one with 403, in the requested format', async () => {
    const unknownXml = await get('/open311/v2/no-such-city/discovery.xml');
    expect(unknownXml.status).toBe(404);
    expect(texts(unknownXml.xml(), 'code')).toEqual(['404']);
    const unknown = await get('/open311/v2/no-such-city/services.json');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual([{ code: 404, description: expect.stringContaining('jurisdiction') }]);
    const unknownPost = await post('/open311/v2/no-such-city/requests.xml', validRequest());
    expect(unknownPost.status).toBe(404);
    expect(texts(unknownPost.xml(), 'code')).toEqual(['404']);

    const operator = await api.login('platform', 'operator');
    const created = await api.call('POST', '/v1/tenants', {
      token: operator,
      body: {
        id: 'paused-city',
        name: '暂停城市',
        divisionCode: '310000',
        admin: { username: 'admin', displayName: 'P admin', password: 'p-admin-password' },
      },
    });
    expect(created.status).toBe(201);
    expect((await api.call('POST', '/v1/tenants/paused-city/suspend', { token: operator })).status).toBe(200);
    const suspended = await post('/open311/v2/paused-city/requests.json', validRequest());
    expect(suspended.status).toBe(403);
    expect(suspended.json()).toEqual([{ code: 403, description: expect.stringContaining('suspended') }]);
  });

  it('answers a jurisdiction_id other than the endpoint’s city with 404', async () => {
    expect((await get(`${BASE}/services.json?jurisdiction_id=${DEMO_TENANT}`)).status).toBe(200);
    const other = await get(`${BASE}/services.json?jurisdiction_id=sf.gov`);
    expect(other.status).toBe(404);
    expect(other.json()).toEqual([{ code: 404, description: expect.stringContaining('jurisdiction_id') }]);
    expect((await post(`${BASE}/requests.json`, validRequest({ jurisdiction_id: 'sf.gov' }))).status).toBe(
      404,
    );
  });

  it('limits posts per address, whatever the key', async () => {
    const from = '10.250.0.1';
    for (let i = 0; i < 30; i += 1) {
      expect((await post(`${BASE}/requests.json`, { api_key: 'nope' }, from)).status).toBe(403);
    }
    const limited = await post(`${BASE}/requests.xml`, { api_key: 'nope' }, from);
    expect(limited.status).toBe(429);
    expect(texts(limited.xml(), 'code')).toEqual(['429']);
  });

  it('answers unknown formats and resources with the spec’s error', async () => {
    const csv = await get(`${BASE}/services.csv`);
    expect(csv.status).toBe(404);
    expect(texts(csv.xml(), 'code')).toEqual(['404']);
    expect((await get(`${BASE}/requests/whatever`)).status).toBe(404);
  });
});

describe('POST requests', () => {
  it('refuses a missing or wrong api_key with 403', async () => {
    const { api_key: _omit, ...withoutKey } = validRequest();
    const missing = await post(`${BASE}/requests.json`, withoutKey);
    expect(missing.status).toBe(403);
    expect(missing.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    const wrong = await post(`${BASE}/requests.xml`, validRequest({ api_key: `${apiKey.slice(0, -4)}AAAA` }));
    expect(wrong.status).toBe(403);
    expect(texts(wrong.xml(), 'code')).toEqual(['403']);
  });

  it('requires service_code and a location, and knows its services', async () => {
    const { service_code: _s, ...noService } = validRequest();
    const noCode = await post(`${BASE}/requests.json`, noService);
    expect(noCode.status).toBe(400);
    expect(noCode.json()).toEqual([{ code: 400, description: expect.stringContaining('service_code') }]);
    const unknown = await post(`${BASE}/requests.json`, validRequest({ service_code: 'E99-99' }));
    expect(unknown.status).toBe(404);
    const { lat: _la, long: _lo, ...noPlace } = validRequest();
    const noLocation = await post(`${BASE}/requests.json`, noPlace);
    expect(noLocation.status).toBe(400);
    const onlyId = await post(`${BASE}/requests.json`, { ...noPlace, address_id: '545483' });
    expect(onlyId.status).toBe(400);
    const badLat = await post(`${BASE}/requests.json`, validRequest({ lat: 'north' }));
    expect(badLat.status).toBe(400);
    const outside = await post(`${BASE}/requests.json`, validRequest({ lat: '31.23', long: '121.47' }));
    expect(outside.status).toBe(400);
    expect(outside.json()).toEqual([{ code: 400, description: expect.stringContaining('outside') }]);
    const json = await api.app.request(`${BASE}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-ip': '10.9.9.9' },
      body: JSON.stringify(validRequest()),
    });
    expect(json.status).toBe(400);
  });

  it('checks attributes against the service definition', async () => {
    const component = (extra: Record<string, string>) =>
      post(`${BASE}/requests.json`, validRequest({ service_code: componentCode, ...extra }));
    expect((await component({ 'attribute[condition]': 'melted' })).status).toBe(400);
    expect((await component({ 'attribute[colour]': 'red' })).status).toBe(400);
    const ok = await component({ 'attribute[condition]': 'damaged', 'attribute[component_code]': 'MH-0001' });
    expect(ok.status).toBe(201);
    const [{ service_request_id: id }] = ok.json() as [{ service_request_id: string }];
    const staff = await api.call('GET', `/v1/cases/${id}`, { token: tokens.street });
    expect(staff.body.description).toContain('破损');
    expect(staff.body.description).toContain('MH-0001');
  });

  it('geocodes address_string through the city’s gazetteer', async () => {
    const { lat: _la, long: _lo, ...noPoint } = validRequest();
    const posted = await post(`${BASE}/requests.json`, { ...noPoint, address_string: '故宫' });
    expect(posted.status).toBe(201);
    const unknown = await post(`${BASE}/requests.json`, { ...noPoint, address_string: 'Nowhere Street 999' });
    expect(unknown.status).toBe(400);
  });
});

describe('GET requests', () => {
  it('validates its filters', async () => {
    expect((await get(`${BASE}/requests.json?status=pending`)).status).toBe(400);
    expect((await get(`${BASE}/requests.json?start_date=yesterday`)).status).toBe(400);
    const tooLong = await get(
      `${BASE}/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-04-15T00:00:00Z`,
    );
    expect(tooLong.status).toBe(400);
    expect(texts(tooLong.xml(), 'description')[0]).toContain('90 days');
  });

  it('filters by service, status and dates', async () => {
    const posted = await post(`${BASE}/requests.json`, validRequest());
    const [{ service_request_id: id }] = posted.json() as [{ service_request_id: string }];
    const all = (await get(`${BASE}/requests.json`)).json() as { service_request_id: string }[];
    expect(all.map((r) => r.service_request_id)).toContain(id);
    const byCode = (await get(`${BASE}/requests.json?service_code=${componentCode}`)).json() as {
      service_code: string;
    }[];
    expect(byCode.length).toBeGreaterThan(0);
    expect(byCode.every((r) => r.service_code === componentCode)).toBe(true);
    expect((await get(`${BASE}/requests.json?status=closed`)).json()).toEqual([]);
    const open = (await get(`${BASE}/requests.json?status=open,closed`)).json() as unknown[];
    expect(open.length).toBe(all.length);
    const later = (
      await get(`${BASE}/requests.json?start_date=2026-05-02T00:00:00%2B08:00&end_date=2026-06-01T00:00:00Z`)
    ).json();
    expect(later).toEqual([]);
    const byId = (
      await get(`${BASE}/requests.json?service_request_id=${id},01ARZ3NDEKTSV4RRFFQ69G5FAV&status=closed`)
    ).json() as { service_request_id: string }[];
    // A list of ids overrides the other filters.
    expect(byId.map((r) => r.service_request_id)).toEqual([id]);
    const xml = (await get(`${BASE}/requests.xml?service_request_id=${id}`)).xml();
    expect(xml.documentElement?.tagName).toBe('service_requests');
    expect(xml.getElementsByTagName('request').length).toBe(1);
  });

  it('answers an unknown request or token with 404', async () => {
    const json = await get(`${BASE}/requests/01ARZ3NDEKTSV4RRFFQ69G5FAV.json`);
    expect(json.status).toBe(404);
    expect(json.json()).toEqual([{ code: 404, description: expect.stringContaining('service_request_id') }]);
    const missingXml = await get(`${BASE}/requests/01ARZ3NDEKTSV4RRFFQ69G5FAV.xml`);
    expect(missingXml.status).toBe(404);
    expect(texts(missingXml.xml(), 'code')).toEqual(['404']);
    expect((await get(`${BASE}/tokens/ABCDEFGHJK.json`)).json()).toEqual([
      { code: 404, description: expect.stringContaining('token') },
    ]);
    const xml = await get(`${BASE}/tokens/ABCDEFGHJK.xml`);
    expect(xml.status).toBe(404);
    expect(texts(xml.xml(), 'code')).toEqual(['404']);
  });
});

/** Uploads evidence the way the department's client does. */
const upload = async (who: string) => {
  const bytes = new Uint8Array(1024).fill(3);
  const ticket = await api.call('POST', '/v1/attachments', {
    token: tokens[who],
    body: { contentType: 'image/jpeg', sizeBytes: bytes.length },
  });
  await api.app.request(ticket.body.uploadUrl, { method: 'PUT', headers: ticket.body.headers, body: bytes });
  return ticket.body.attachmentId as string;
};

const command = async (who: string, caseId: string, body: Record<string, unknown>) => {
  const response = await api.call('POST', `/v1/cases/${caseId}/commands`, { token: tokens[who], body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};

describe('the round trip of a client that knows only the specification', () => {
  it('lists services, posts a request with a photo URL, and follows it to closed', async () => {
    const services = (await get(`${BASE}/services.xml`)).xml();
    const codes = texts(services, 'service_code');
    expect(codes).toContain(eventCode);

    const description = '垃圾桶满溢 <三天> & "没人管"';
    const posted = await post(`${BASE}/requests.xml`, {
      api_key: apiKey,
      service_code: eventCode,
      lat: String(point[1]),
      long: String(point[0]),
      description,
      media_url: 'https://photos.example.org/bins/full.jpg?size=large&v=2',
      first_name: 'Xiaoming',
      last_name: 'Wang',
      phone: '+86 138 0000 1111',
      email: 'xm@example.org',
      device_id: 'phone-7',
      account_id: 'acct-9',
    });
    expect(posted.status).toBe(201);
    const receipt = posted.xml();
    expect(receipt.documentElement?.tagName).toBe('service_requests');
    const [id] = texts(receipt, 'service_request_id');
    const [token] = texts(receipt, 'token');
    expect(texts(receipt, 'account_id')).toEqual(['acct-9']);
    expect(id).toMatch(/^[0-9A-Z]{26}$/);

    const byToken = (await get(`${BASE}/tokens/${token}.json`)).json();
    expect(byToken).toEqual([{ service_request_id: id, token }]);
    const byTokenXml = (await get(`${BASE}/tokens/${token}.xml`)).xml();
    expect(byTokenXml.documentElement?.tagName).toBe('service_requests');
    expect(texts(byTokenXml, 'service_request_id')).toEqual([id]);

    const read = async () => {
      const [request] = (await get(`${BASE}/requests/${id}.json`)).json() as Record<string, unknown>[];
      return request as Record<string, unknown>;
    };
    const first = await read();
    expect(Object.keys(first)).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ]);
    expect(first).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: eventCode,
      description,
      agency_responsible: null,
      lat: point[1],
      long: point[0],
      media_url: 'https://photos.example.org/bins/full.jpg?size=large&v=2',
      requested_datetime: '2026-05-01T08:00:00+08:00',
    });
    expect(first.status_notes).toContain('已受理');
    expect(first.expected_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);

    // The city works the case through its own loop, through the API.
    await command('gridworker', id as string, { type: 'verify', confirmed: true, note: '属实' });
    await command('street', id as string, { type: 'register' });
    await command('street', id as string, { type: 'dispatch', departmentIds: ['urban-enforcement'] });
    const dispatched = await read();
    expect(dispatched.status).toBe('open');
    expect(dispatched.agency_responsible).toMatch(/\p{Script=Han}/u);
    expect(dispatched.status_notes).toContain('已派遣');
    const accepted = await command('urbanmgmt', id as string, { type: 'accept' });
    const handleDue = new Date(accepted.deadline.dueAt).getTime();
    expect(Date.parse((await read()).expected_datetime as string)).toBe(handleDue);
    await command('urbanmgmt', id as string, {
      type: 'handle',
      result: '已清运',
      evidenceIds: [await upload('urbanmgmt')],
    });
    await command('gridworker', id as string, { type: 'startCheck' });
    expect((await read()).status).toBe('open');
    await command('gridworker', id as string, { type: 'checkPass', note: '已核查' });

    const closed = await read();
    expect(closed.status).toBe('closed');
    expect(closed.status_notes).toContain('已结案');
    expect(closed.expected_datetime).toBeNull();
    expect(Date.parse(closed.updated_datetime as string)).toBeGreaterThanOrEqual(
      Date.parse(first.updated_datetime as string),
    );
    const closedList = (await get(`${BASE}/requests.json?status=closed`)).json() as {
      service_request_id: string;
    }[];
    expect(closedList.map((r) => r.service_request_id)).toEqual([id]);

    // The XML of the same request: well formed, UTF-8, the Chinese and the escaped characters intact.
    const xml = await get(`${BASE}/requests/${id}.xml`);
    expect(xml.type).toContain('charset=utf-8');
    const doc = xml.xml();
    expect(texts(doc, 'description')).toEqual([description]);
    expect(texts(doc, 'status')).toEqual(['closed']);
    expect(texts(doc, 'media_url')).toEqual(['https://photos.example.org/bins/full.jpg?size=large&v=2']);
    expect(xml.text).toContain('&lt;三天&gt; &amp; &quot;没人管&quot;');

    // Contact data never leaves through Open311.
    for (const text of [xml.text, JSON.stringify(closed), (await get(`${BASE}/requests.json`)).text]) {
      for (const secret of ['Xiaoming', '1380000', 'xm@example.org', 'phone-7', 'acct-9']) {
        expect(text).not.toContain(secret);
      }
    }
    // The case itself came in through the open311 channel, located to its grid.
    const staff = await api.call('GET', `/v1/cases/${id}`, { token: tokens.street });
    expect(staff.body).toMatchObject({ channel: 'open311', location: { gridCode: GRID } });
    expect(staff.body.description).toContain('https://photos.example.org/bins/full.jpg');
  });
});

describe('the default window', () => {
  it('lists only the last 90 days unless asked for an older window', async () => {
    const posted = await post(`${BASE}/requests.json`, validRequest());
    const [{ service_request_id: id }] = posted.json() as [{ service_request_id: string }];
    api.clock.advance(91 * 86_400_000);
    const afterwards = (await get(`${BASE}/requests.json`)).json() as { service_request_id: string }[];
    expect(afterwards.map((r) => r.service_request_id)).not.toContain(id);
    const around = (await get(`${BASE}/requests.json?start_date=2026-04-30&end_date=2026-05-02`)).json() as {
      service_request_id: string;
    }[];
    expect(around.map((r) => r.service_request_id)).toContain(id);
    // Only a start: the window runs 90 days from it.
    const fromStart = (await get(`${BASE}/requests.json?start_date=2026-04-30T00:00:00Z`)).json() as {
      service_request_id: string;
    }[];
    expect(fromStart.map((r) => r.service_request_id)).toContain(id);
  });
});
