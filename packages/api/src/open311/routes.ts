import { AppError, type CaseEvent, type CaseState, type DutyCatalog, isId } from '@civicgrid/domain';
import type { RateLimit, TenantStore } from '@civicgrid/storage';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiModule } from '../app';
import { caseEvents, findCase, trackingKey } from '../cases/case-store';
import { tenantCatalog } from '../catalog/catalog-store';
import type { ApiDeps, ApiEnv } from '../http/env';
import { enforceRateLimit, PUBLIC_SCOPE } from '../http/rate-limit';
import { secureRoute } from '../http/routes';
import {
  attributeLines,
  findPublicCategory,
  type PublicCategory,
  publicCategories,
} from '../public/categories';
import {
  findPublicReport,
  type PublicReport,
  publicCity,
  publicClosed,
  publicReportsBetween,
  submitPublicReport,
} from '../public/intake';
import { departmentNames, expectedAt, publicSteps, statusNote, updatedAt } from '../public/progress';
import {
  formatOf,
  Open311Error,
  type Open311Format,
  parseW3cDatetime,
  respond,
  respondError,
  w3cDatetime,
} from './format';
import { verifyApiKey } from './keys';

export const OPEN311_BASE = '/open311/v2';
const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** When this implementation of the specification last changed, for discovery's `changeset`. */
const CHANGESET = '2026-11-25T00:00:00Z';

/** The spec's defaults for `GET requests`: a 90-day window and at most 1000 requests. */
export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;

export const open311Limits = {
  read: { name: 'open311-read-ip', limit: 120, windowSeconds: 60 },
  postIp: { name: 'open311-post-ip', limit: 30, windowSeconds: 3600 },
} satisfies Record<string, RateLimit>;

const DESCRIPTION_MAX = 1000;
const MEDIA_URL_MAX = 500;

/** Public categories as GeoReport services. Names are Chinese first, then English. */
const serviceOf = (category: PublicCategory) => ({
  service_code: category.code,
  service_name: `${category.name.zh} ${category.name.en}`,
  description: category.description ?? `${category.group.zh} · ${category.name.zh}`,
  metadata: category.attributes.length > 0,
  type: 'realtime',
  keywords: [category.name.zh, category.name.en, category.group.en].join(', '),
  group: `${category.group.zh} ${category.group.en}`,
});

const definitionOf = (category: PublicCategory) => ({
  service_code: category.code,
  attributes: category.attributes.map((attribute) => ({
    variable: true,
    code: attribute.code,
    datatype: attribute.datatype,
    required: attribute.required,
    datatype_description: attribute.datatypeDescription
      ? `${attribute.datatypeDescription.zh} ${attribute.datatypeDescription.en}`
      : null,
    order: attribute.order,
    description: `${attribute.description.zh} ${attribute.description.en}`,
    ...(attribute.values
      ? { values: attribute.values.map((v) => ({ key: v.key, name: `${v.name.zh} ${v.name.en}` })) }
      : {}),
  })),
});

/**
 * A case as a GeoReport service request. Contact details are never part of it; the description
 * is what the reporter wrote, the notes only the public part of the timeline.
 */
const requestOf = (
  state: CaseState,
  events: readonly CaseEvent[],
  report: PublicReport,
  context: { catalog: DutyCatalog; agencies: (state: CaseState) => string | null; timeZone: string },
) => {
  const closed = publicClosed(state.status);
  const code = state.categoryCode ?? report.categoryCode;
  const category = context.catalog.categories.find((c) => c.code === code);
  return {
    service_request_id: state.id,
    status: closed ? 'closed' : 'open',
    status_notes: statusNote(publicSteps(events)),
    service_name: category ? `${category.minor.name.zh} ${category.minor.name.en}` : null,
    service_code: code,
    description: report.description || null,
    agency_responsible: context.agencies(state),
    service_notice: null,
    requested_datetime: w3cDatetime(state.reportedAt, context.timeZone),
    updated_datetime: w3cDatetime(updatedAt(events), context.timeZone),
    expected_datetime: closed ? null : w3cDatetime(expectedAt(state), context.timeZone),
    address: state.location.address ?? null,
    address_id: null,
    zipcode: null,
    lat: state.location.point?.[1] ?? null,
    long: state.location.point?.[0] ?? null,
    media_url: report.mediaUrl ?? null,
  };
};

const limit = (deps: ApiDeps, c: Context, rule: RateLimit, subject: string) =>
  enforceRateLimit(deps, c, PUBLIC_SCOPE, rule, subject);

/** Our errors in the spec's terms: its list of `{code, description}` with the HTTP status as code. */
const asOpen311Error = (error: unknown): Open311Error | undefined => {
  if (error instanceof Open311Error) return error;
  if (!(error instanceof AppError)) return undefined;
  switch (error.code) {
    case 'not_found':
      return new Open311Error(404, error.message);
    case 'tenant_suspended':
      return new Open311Error(403, error.message);
    case 'rate_limited':
      return new Open311Error(429, error.message);
    case 'payload_too_large':
      return new Open311Error(413, error.message);
    case 'validation_failed': {
      const code = (error.details as { code?: string } | undefined)?.code;
      if (code === 'address_not_found')
        return new Open311Error(400, 'address_string was not found in the city.');
      if (code === 'outside_territory') return new Open311Error(400, 'The location lies outside the city.');
      return new Open311Error(400, error.message);
    }
    default:
      return error.status < 500 ? new Open311Error(400, error.message) : undefined;
  }
};

type Handler = (c: Context<ApiEnv>, format: Open311Format) => Promise<Response>;

/** Runs a handler and answers any failure as the spec's error, in the format asked for. */
const guarded = (c: Context<ApiEnv>, format: Open311Format, handler: Handler) =>
  handler(c, format).catch((error: unknown) => {
    const mapped = asOpen311Error(error);
    if (mapped) return respondError(c, format, mapped);
    c.get('logger').error('unhandled error', { error });
    return respondError(c, format, new Open311Error(500, 'Internal server error.'));
  });

const cityOf = async (deps: ApiDeps, slug: string) => {
  try {
    return await publicCity(deps, slug);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      throw new Open311Error(404, `jurisdiction_id not found: no city ${slug} takes Open311 requests.`);
    }
    if (error instanceof AppError && error.code === 'tenant_suspended') {
      throw new Open311Error(403, `The city ${slug} is suspended and takes no Open311 requests.`);
    }
    throw error;
  }
};

/** `<name>.json` or `<name>.xml`: the name and the format, or a 404 in XML. */
const splitFile = (file: string): { name: string; format: Open311Format } | undefined => {
  const match = /^(.+)\.(json|xml)$/.exec(file);
  return match?.[1] && match[2] ? { name: match[1], format: match[2] as Open311Format } : undefined;
};

const phoneOf = (raw: string): string => {
  const phone = raw.replace(/[\s()-]/g, '');
  if (!/^\+?\d{5,15}$/.test(phone)) throw new Open311Error(400, 'phone is not a valid phone number.');
  return phone;
};

const nameOf = (first?: string, last?: string): string | undefined => {
  const parts = [first?.trim(), last?.trim()].filter((p): p is string => !!p);
  if (parts.length === 0) return undefined;
  // Chinese names put the family name first, without a space.
  const han = /\p{Script=Han}/u;
  const name = parts.every((p) => han.test(p)) ? [last, first].filter(Boolean).join('') : parts.join(' ');
  if (name.length > 40) throw new Open311Error(400, 'first_name and last_name are too long.');
  return name;
};

const field = (form: URLSearchParams, name: string, max: number): string | undefined => {
  const value = form.get(name)?.trim();
  if (value === undefined || value === '') return undefined;
  if (value.length > max) throw new Open311Error(400, `${name} may be at most ${max} characters.`);
  return value;
};

const coordinate = (value: string, name: 'lat' | 'long'): number => {
  const n = Number(value);
  const bound = name === 'lat' ? 90 : 180;
  if (value.trim() === '' || !Number.isFinite(n) || Math.abs(n) > bound) {
    throw new Open311Error(400, `${name} must be a number between -${bound} and ${bound}.`);
  }
  return n;
};

const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/** Documented as its own schema: the OpenAPI generator validates nothing that is not a zod schema. */
const postBodySchema = {
  type: 'object',
  required: ['api_key', 'service_code'],
  properties: Object.fromEntries(
    [
      'api_key',
      'jurisdiction_id',
      'service_code',
      'lat',
      'long',
      'address_string',
      'address_id',
      'email',
      'device_id',
      'account_id',
      'first_name',
      'last_name',
      'phone',
      'description',
      'media_url',
    ].map((name) => [name, { type: 'string' }]),
  ),
  additionalProperties: {
    type: 'string',
    description: 'attribute[<code>] answers to the service definition',
  },
} as const;

const formatResponses = (description: string, status: 200 | 201 = 200) => ({
  [status]: {
    description,
    content: {
      'application/json': { schema: z.unknown() },
      'text/xml': { schema: z.string() },
    },
  },
  400: { description: 'The spec’s error list: [{code, description}]' },
  403: { description: 'Invalid api_key, or the city is suspended' },
  404: { description: 'Unknown city, service or request' },
  429: { description: 'Too many requests from this address or client' },
});

/**
 * Open311 GeoReport v2, one endpoint per city at /open311/v2/{tenantSlug}/: services from the
 * city's public categories, requests that become cases (channel open311), and their progress.
 */
export const open311Module: ApiModule = (app, deps) => {
  const tags = ['open311'];
  const SlugParam = z.object({ tenantSlug: z.string() });

  /** A resource served at `<path>.json` and `<path>.xml`. */
  const both = (
    method: 'get' | 'post',
    resource: string,
    summary: string,
    handler: Handler,
    extra: { request?: Record<string, unknown> } = {},
  ) => {
    for (const format of ['json', 'xml'] as const) {
      app.openapi(
        secureRoute(deps, 'public', {
          method,
          path: `${OPEN311_BASE}/{tenantSlug}/${resource}.${format}`,
          tags,
          summary,
          request: { params: SlugParam, ...extra.request },
          responses: formatResponses(summary, method === 'post' ? 201 : 200),
        }),
        ((c: Context<ApiEnv>) => guarded(c, format, handler)) as never,
      );
    }
  };

  /** A resource named by id, `<path>/{file}` where file is `<id>.json` or `<id>.xml`. */
  const byFile = (
    resource: string,
    param: string,
    summary: string,
    handler: (c: Context<ApiEnv>, format: Open311Format, name: string) => Promise<Response>,
  ) => {
    app.openapi(
      secureRoute(deps, 'public', {
        method: 'get',
        path: `${OPEN311_BASE}/{tenantSlug}/${resource}/{${param}}`,
        tags,
        summary: `${summary} (${param} is <id>.json or <id>.xml)`,
        request: { params: SlugParam.extend({ [param]: z.string() }) },
        responses: formatResponses(summary),
      }),
      ((c: Context<ApiEnv>) => {
        const file = splitFile(c.req.param(param) ?? '');
        if (!file) return respondError(c, 'xml', new Open311Error(404, 'Ask for .json or .xml.'));
        return guarded(c, file.format, (ctx, format) => handler(ctx, format, file.name));
      }) as never,
    );
  };

  const readable = async (c: Context<ApiEnv>) => {
    await limit(deps, c, open311Limits.read, deps.clientIp(c));
    const found = await cityOf(deps, c.req.param('tenantSlug') ?? '');
    // One city per endpoint: a jurisdiction_id, when sent, must name it.
    const jurisdiction = c.req.query('jurisdiction_id');
    if (jurisdiction && jurisdiction !== found.city.id) {
      throw new Open311Error(404, `jurisdiction_id ${jurisdiction} not found at this endpoint.`);
    }
    return found;
  };

  /** The reading context of requests: catalog, department names and the city's time zone. */
  const requestContext = async (tenant: TenantStore, timeZone: string) => ({
    catalog: (await tenantCatalog(tenant)).catalog,
    agencies: await departmentNames(tenant),
    timeZone,
  });

  const loadRequest = async (tenant: TenantStore, caseId: string) => {
    if (!isId(caseId)) return undefined;
    const report = await findPublicReport(tenant, caseId);
    const state = report ? await findCase(tenant, caseId) : undefined;
    if (!report || !state) return undefined;
    return { report: report.data, state: state.data, events: await caseEvents(tenant, caseId) };
  };

  both(
    'get',
    'discovery',
    'Service discovery: where this city’s GeoReport v2 endpoint is and what it speaks',
    async (c, format) => {
      const { city } = await readable(c);
      const url = `${new URL(c.req.url).origin}${OPEN311_BASE}/${city.id}`;
      return respond(c, format, 'discovery', {
        changeset: CHANGESET,
        contact: `${city.name} 网格化服务管理中心 Grid service management center`,
        key_service:
          'API keys are issued by the city administration (CivicGrid console: settings, Open311 keys).',
        endpoints: [
          {
            specification: SPECIFICATION,
            url,
            changeset: CHANGESET,
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      });
    },
  );

  both('get', 'services', 'The services (public categories) of the city', async (c, format) => {
    const { tenant } = await readable(c);
    const { catalog } = await tenantCatalog(tenant);
    return respond(c, format, 'services', publicCategories(catalog).map(serviceOf));
  });

  byFile(
    'services',
    'serviceFile',
    'A service definition: the attributes a service asks for',
    async (c, format, code) => {
      const { tenant } = await readable(c);
      const category = findPublicCategory((await tenantCatalog(tenant)).catalog, code);
      if (!category) throw new Open311Error(404, `service_code ${code} not found.`);
      return respond(c, format, 'service_definition', definitionOf(category));
    },
  );

  both(
    'post',
    'requests',
    'Post a service request (application/x-www-form-urlencoded, api_key required); it becomes a case',
    async (c, format) => {
      await limit(deps, c, open311Limits.postIp, deps.clientIp(c));
      const { tenant, city } = await cityOf(deps, c.req.param('tenantSlug') ?? '');
      if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) {
        throw new Open311Error(400, 'Send the request as application/x-www-form-urlencoded.');
      }
      const form = new URLSearchParams(await c.req.text());
      const key = await verifyApiKey(tenant, form.get('api_key') ?? '');
      if (!key) throw new Open311Error(403, 'api_key is missing, invalid or revoked.');
      await limit(
        deps,
        c,
        { name: 'open311-post-key', limit: key.postsPerHour, windowSeconds: 3600 },
        `${city.id}:${key.id}`,
      );
      const jurisdiction = form.get('jurisdiction_id');
      if (jurisdiction && jurisdiction !== city.id) {
        throw new Open311Error(404, `jurisdiction_id ${jurisdiction} not found at this endpoint.`);
      }
      const serviceCode = field(form, 'service_code', 20);
      if (!serviceCode) throw new Open311Error(400, 'service_code is required.');
      const { catalog } = await tenantCatalog(tenant);
      const category = findPublicCategory(catalog, serviceCode);
      if (!category) throw new Open311Error(404, `service_code ${serviceCode} not found.`);

      const lat = form.get('lat');
      const long = form.get('long');
      const address = field(form, 'address_string', 300);
      const addressId = field(form, 'address_id', 100);
      let point: [number, number] | undefined;
      if (lat !== null || long !== null) {
        if (lat === null || long === null) throw new Open311Error(400, 'lat and long go together.');
        point = [coordinate(long, 'long'), coordinate(lat, 'lat')];
      }
      if (!point && !address) {
        throw new Open311Error(
          400,
          addressId
            ? 'address_id is not known to this city; send lat and long or address_string.'
            : 'A location is required: lat and long, address_string or address_id.',
        );
      }

      const answers: Record<string, string[]> = {};
      for (const [name, value] of form) {
        const match = /^attribute\[([^\]]{1,40})\](\[\])?$/.exec(name);
        if (match?.[1]) answers[match[1]] = [...(answers[match[1]] ?? []), value];
      }
      const description = field(form, 'description', DESCRIPTION_MAX) ?? '';
      const mediaUrl = field(form, 'media_url', MEDIA_URL_MAX);
      if (mediaUrl) {
        let parsed: URL | undefined;
        try {
          parsed = new URL(mediaUrl);
        } catch {
          parsed = undefined;
        }
        if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
          throw new Open311Error(400, 'media_url must be an http or https URL.');
        }
      }
      const lines = attributeLines(category, answers);
      const name = nameOf(field(form, 'first_name', 20), field(form, 'last_name', 20));
      const phone = field(form, 'phone', 30);
      const email = field(form, 'email', 254);
      if (email && !/^[^\s@]+@[^\s@]+$/.test(email))
        throw new Open311Error(400, 'email is not an email address.');
      const deviceId = field(form, 'device_id', 128);
      const accountId = field(form, 'account_id', 128);

      const caseDescription = [
        description || `${category.name.zh} ${category.name.en}`,
        ...lines,
        ...(mediaUrl ? [`【照片 Photo】${mediaUrl}`] : []),
      ].join('\n');
      const result = await submitPublicReport(deps, c, tenant, {
        channel: 'open311',
        categoryCode: category.code,
        description,
        caseDescription,
        location: { ...(point ? { point } : {}), ...(address ? { address } : {}) },
        ...(name || phone
          ? { contact: { ...(name ? { name } : {}), ...(phone ? { phone: phoneOf(phone) } : {}) } }
          : {}),
        ...(mediaUrl ? { mediaUrl } : {}),
        clientKeyId: key.id,
        private: {
          ...(email ? { email } : {}),
          ...(deviceId ? { deviceId } : {}),
          ...(accountId ? { accountId } : {}),
        },
      });
      return respond(
        c,
        format,
        'service_requests',
        [
          {
            service_request_id: result.caseId,
            service_notice: '已受理，网格员将到现场核实 Received; a grid worker will verify it on site.',
            account_id: accountId ?? null,
            token: result.trackingCode,
          },
        ],
        201,
      );
    },
    {
      request: {
        body: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: postBodySchema } },
        },
      },
    },
  );

  both(
    'get',
    'requests',
    'Service requests: by service_request_id list, or service_code, status, start_date/end_date (90 days, 1000 at most)',
    async (c, format) => {
      const { tenant, city } = await readable(c);
      const context = await requestContext(tenant, city.timeZone);
      const query = (name: string) => c.req.query(name)?.trim() || undefined;
      const render = (loaded: NonNullable<Awaited<ReturnType<typeof loadRequest>>>) =>
        requestOf(loaded.state, loaded.events, loaded.report, context);

      const ids = commaList(query('service_request_id'));
      if (ids.length > 0) {
        // A list of ids overrides every other filter, as the spec says.
        if (ids.length > MAX_REQUESTS)
          throw new Open311Error(400, `At most ${MAX_REQUESTS} service_request_id.`);
        const found = [];
        for (const id of ids) {
          const loaded = await loadRequest(tenant, id);
          if (loaded) found.push(render(loaded));
        }
        return respond(c, format, 'service_requests', found);
      }

      const statuses = commaList(query('status'));
      if (statuses.some((s) => s !== 'open' && s !== 'closed')) {
        throw new Open311Error(400, 'status is open, closed, or both separated by a comma.');
      }
      const codes = commaList(query('service_code'));
      const parseDate = (name: string) => {
        const raw = query(name);
        if (raw === undefined) return undefined;
        const parsed = parseW3cDatetime(raw);
        if (!parsed)
          throw new Open311Error(400, `${name} is not a W3C datetime such as 2026-05-01T08:00:00+08:00.`);
        return parsed;
      };
      const window = DEFAULT_WINDOW_DAYS * 86_400_000;
      const startGiven = parseDate('start_date');
      const endGiven = parseDate('end_date');
      const end =
        endGiven ??
        (startGiven
          ? new Date(Math.min(startGiven.getTime() + window, deps.clock.now().getTime()))
          : deps.clock.now());
      const start = startGiven ?? new Date(end.getTime() - window);
      if (start.getTime() > end.getTime()) throw new Open311Error(400, 'start_date is after end_date.');
      if (end.getTime() - start.getTime() > window) {
        throw new Open311Error(400, `start_date and end_date may span at most ${DEFAULT_WINDOW_DAYS} days.`);
      }
      const rendered: ReturnType<typeof render>[] = [];
      await publicReportsBetween(
        tenant,
        start,
        end,
        async (report) => {
          if (codes.length > 0 && !codes.includes(report.categoryCode)) return false;
          const loaded = await loadRequest(tenant, report.caseId);
          if (!loaded) return false;
          if (codes.length > 0 && !codes.includes(loaded.state.categoryCode ?? report.categoryCode))
            return false;
          const view = render(loaded);
          if (statuses.length > 0 && !statuses.includes(view.status)) return false;
          rendered.push(view);
          return true;
        },
        MAX_REQUESTS,
      );
      return respond(c, format, 'service_requests', rendered);
    },
  );

  byFile('requests', 'requestFile', 'One service request', async (c, format, id) => {
    const { tenant, city } = await readable(c);
    const loaded = await loadRequest(tenant, id);
    if (!loaded) throw new Open311Error(404, `service_request_id ${id} not found.`);
    const context = await requestContext(tenant, city.timeZone);
    return respond(c, format, 'service_requests', [
      requestOf(loaded.state, loaded.events, loaded.report, context),
    ]);
  });

  byFile('tokens', 'tokenFile', 'The service request id of a token', async (c, format, token) => {
    const { tenant } = await readable(c);
    const ref = /^[0-9A-Z]{10}$/.test(token)
      ? await tenant.get<{ caseId: string }>(trackingKey(token))
      : undefined;
    const report = ref ? await findPublicReport(tenant, ref.data.caseId) : undefined;
    if (!report) throw new Open311Error(404, `token ${token} not found.`);
    return respond(c, format, 'service_requests', [{ service_request_id: report.data.caseId, token }]);
  });

  // Anything else under the base (another format, a wrong method) answers as the spec's error.
  app.all(`${OPEN311_BASE}/*`, (c) =>
    respondError(
      c,
      formatOf(c.req.path),
      new Open311Error(404, `No resource ${c.req.method} ${c.req.path}.`),
    ),
  );
};
