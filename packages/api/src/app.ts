import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { analyticsModule } from './analytics/routes';
import { attachmentsModule, isUploadPath, UPLOAD_MAX_BYTES } from './attachments/routes';
import { auditModule } from './audit/routes';
import { authModule } from './auth/routes';
import { casesModule } from './cases/routes';
import { catalogModule } from './catalog/routes';
import { componentsModule } from './components/routes';
import { registerReferenceUi } from './docs/reference-ui';
import { GAZETTEER_PATH, geocodeModule } from './geocode/routes';
import type { ApiDeps, ApiEnv } from './http/env';
import { errorResponse, onError, validationHook } from './http/errors';
import { requestContext } from './http/request-context';
import { registerSecurityScheme } from './http/routes';
import { notificationsModule } from './notifications/routes';
import { open311KeysModule } from './open311/keys';
import { open311Module } from './open311/routes';
import { IMPORT_MAX_BYTES, isBulkPath, orgModule } from './org/routes';
import { publicModule } from './public/routes';
import { healthModule } from './routes/health';
import { settingsModule } from './settings/routes';
import { tenantsModule } from './tenants/routes';
import { usersModule } from './users/routes';
import { whistlesModule } from './whistles/routes';

export type ApiApp = OpenAPIHono<ApiEnv>;

/** A capability's routes; each registers itself on the one app. */
export type ApiModule = (app: ApiApp, deps: ApiDeps) => void;

/** The product's capabilities; each later issue adds its module here. */
export const capabilityModules: readonly ApiModule[] = [
  authModule,
  tenantsModule,
  usersModule,
  orgModule,
  catalogModule,
  componentsModule,
  geocodeModule,
  attachmentsModule,
  casesModule,
  notificationsModule,
  settingsModule,
  whistlesModule,
  auditModule,
  publicModule,
  open311KeysModule,
  open311Module,
  analyticsModule,
];

export interface AppOptions {
  /** Capability routes to serve; health and documentation are always there. */
  modules?: readonly ApiModule[];
  /** Largest accepted request body; API Gateway's own cap is 10 MB. */
  maxBodyBytes?: number;
}

export const OPENAPI_PATH = '/openapi.json';

/** The HTTP API. It does not know whether it runs on Lambda or on a local Node server. */
export const createApp = (deps: ApiDeps, options: AppOptions = {}): ApiApp => {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const maxSize = options.maxBodyBytes ?? 1024 * 1024;

  app.use('*', requestContext(deps.logger));
  const limit = (bytes: number) =>
    bodyLimit({
      maxSize: bytes,
      onError: (c) => errorResponse(c, 'payload_too_large', `The request body exceeds ${bytes} bytes.`),
    });
  const ordinary = limit(maxSize);
  const bulk = limit(Math.max(maxSize, IMPORT_MAX_BYTES));
  const upload = limit(Math.max(maxSize, UPLOAD_MAX_BYTES));
  app.use('*', (c, next) =>
    isUploadPath(c.req.path)
      ? upload(c, next)
      : isBulkPath(c.req.path) || c.req.path === GAZETTEER_PATH
        ? bulk(c, next)
        : ordinary(c, next),
  );
  app.onError(onError);
  app.notFound((c) => errorResponse(c, 'route_not_found', `No route for ${c.req.method} ${c.req.path}.`));

  registerSecurityScheme(app);
  for (const register of [healthModule, ...(options.modules ?? capabilityModules)]) register(app, deps);

  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'CivicGrid API',
      version: '0.1.0',
      description: 'Grid governance (网格化管理) for cities: hierarchy, case loop, whistle-and-report.',
    },
  });
  registerReferenceUi(app, OPENAPI_PATH);
  return app;
};
