export * from './app';
export { caseReactions } from './cases/automation';
export type { ApiDeps, ApiEnv } from './http/env';
export { ErrorBodySchema, errorResponses, jsonBody } from './http/openapi';
export * from './logger';
export { tenantCalendar } from './settings/calendar-store';
export { activeTenantIds } from './tenants/tenant-store';
export { createUser } from './users/service';
export { findUserIdByUsername } from './users/user-store';
