import {
  defaultChinaCalendar,
  defaultWhistleSettings,
  TenantCalendarSchema,
  WhistleSettingsSchema,
} from '@civicgrid/domain';
import { z } from '@hono/zod-openapi';
import type { ApiModule } from '../app';
import { auditOp } from '../audit/audit-log';
import { errorResponses, jsonBody } from '../http/openapi';
import { secureRoute } from '../http/routes';
import { calendarKey, storedCalendar } from './calendar-store';
import { storedWhistleSettings, whistleSettingsKey } from './whistle-settings';

const CalendarViewSchema = z
  .object({ version: z.number().int(), calendar: z.record(z.string(), z.unknown()), isDefault: z.boolean() })
  .openapi('WorkingCalendar');

/** The city's working calendar: working hours, weekend days, and per year its holidays and make-up days. */
export const settingsModule: ApiModule = (app, deps) => {
  registerWhistleSettings(app, deps);
  const tags = ['settings'];
  const content = { 'application/json': { schema: CalendarViewSchema } };

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/settings/calendar',
      tags,
      summary: 'The working calendar time limits count in (the national one until the city sets its own)',
      responses: { 200: { description: 'The calendar', content }, ...errorResponses(401, 403) },
    }),
    async (c) => {
      const stored = await storedCalendar(c.get('tenant'));
      return c.json(
        stored
          ? { version: stored.version, calendar: stored.data, isDefault: false }
          : { version: 0, calendar: defaultChinaCalendar(), isDefault: true },
        200,
      );
    },
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'put',
      path: '/v1/settings/calendar',
      tags,
      summary: 'Set the city’s working calendar, e.g. each year’s holidays and make-up working days',
      request: {
        body: jsonBody(z.strictObject({ version: z.number().int().min(0), calendar: TenantCalendarSchema })),
      },
      responses: { 200: { description: 'Stored', content }, ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      const { version, calendar } = c.req.valid('json');
      const tenant = c.get('tenant');
      const current = await storedCalendar(tenant);
      const item = { key: calendarKey, entity: 'settings-calendar', data: calendar };
      await tenant.transact([
        current
          ? { kind: 'replace', item, previous: { version, createdAt: current.createdAt } }
          : version === 0
            ? { kind: 'create', item }
            : { kind: 'check', key: calendarKey, expectedVersion: version },
        auditOp(deps.clock, {
          principal: c.get('principal'),
          requestId: c.get('requestId'),
          action: 'settings.calendar',
          target: { type: 'settings', id: 'calendar' },
          changes: { years: Object.keys(calendar.years) },
        }),
      ]);
      const stored = await storedCalendar(tenant);
      return c.json(
        { version: stored?.version ?? 0, calendar: stored?.data ?? calendar, isDefault: false },
        200,
      );
    },
  );
};

const WhistleSettingsViewSchema = z
  .object({ version: z.number().int(), settings: z.record(z.string(), z.unknown()), isDefault: z.boolean() })
  .openapi('WhistleSettings');

/** Report-by deadlines per whistle kind, the kinds blown at once, and the off-site radius. */
const registerWhistleSettings: ApiModule = (app, deps) => {
  const tags = ['settings'];
  const content = { 'application/json': { schema: WhistleSettingsViewSchema } };

  app.openapi(
    secureRoute(deps, 'org.read', {
      method: 'get',
      path: '/v1/settings/whistles',
      tags,
      summary: 'How whistles run in this city (the defaults until the city sets its own)',
      responses: { 200: { description: 'The settings', content }, ...errorResponses(401, 403) },
    }),
    async (c) => {
      const stored = await storedWhistleSettings(c.get('tenant'));
      return c.json(
        stored
          ? { version: stored.version, settings: stored.data, isDefault: false }
          : { version: 0, settings: defaultWhistleSettings, isDefault: true },
        200,
      );
    },
  );

  app.openapi(
    secureRoute(deps, 'org.manage', {
      method: 'put',
      path: '/v1/settings/whistles',
      tags,
      summary: 'Set report-by deadlines per kind, the kinds blown at once, and the off-site radius',
      request: {
        body: jsonBody(z.strictObject({ version: z.number().int().min(0), settings: WhistleSettingsSchema })),
      },
      responses: { 200: { description: 'Stored', content }, ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      const { version, settings } = c.req.valid('json');
      const tenant = c.get('tenant');
      const current = await storedWhistleSettings(tenant);
      const item = { key: whistleSettingsKey, entity: 'settings-whistles', data: settings };
      await tenant.transact([
        current
          ? { kind: 'replace', item, previous: { version, createdAt: current.createdAt } }
          : version === 0
            ? { kind: 'create', item }
            : { kind: 'check', key: whistleSettingsKey, expectedVersion: version },
        auditOp(deps.clock, {
          principal: c.get('principal'),
          requestId: c.get('requestId'),
          action: 'settings.whistles',
          target: { type: 'settings', id: 'whistles' },
          changes: settings,
        }),
      ]);
      const stored = await storedWhistleSettings(tenant);
      return c.json(
        { version: stored?.version ?? 0, settings: stored?.data ?? settings, isDefault: false },
        200,
      );
    },
  );
};
