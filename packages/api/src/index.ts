export * from './app';
export type { ApiDeps, ApiEnv } from './http/env';
export { ErrorBodySchema, errorResponses, jsonBody } from './http/openapi';
export * from './logger';
export { createUser } from './users/service';
export { findUserIdByUsername } from './users/user-store';
