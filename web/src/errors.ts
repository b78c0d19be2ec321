import { ApiError } from './api';
import type { MessageKey, Translator } from './i18n';

/** The API's error codes the console words itself (packages/domain/src/errors.ts). */
const errorKeys: Record<string, MessageKey> = {
  validation_failed: 'errValidation',
  invalid_json: 'errValidation',
  version_conflict: 'errVersionConflict',
  transaction_conflict: 'errVersionConflict',
  already_exists: 'errAlreadyExists',
  forbidden: 'errForbidden',
  not_found: 'errNotFound',
  network: 'errNetwork',
  unauthorized: 'errSession',
  invalid_token: 'errSession',
  token_expired: 'errSession',
  tenant_suspended: 'errSuspended',
  invalid_credentials: 'errCredentials',
  user_disabled: 'errUserDisabled',
  rate_limited: 'errRateLimited',
  payload_too_large: 'errTooLarge',
  not_uploaded: 'errNotUploaded',
  internal_error: 'errServer',
};

/**
 * An error as the console shows it, with the API's code for support. In English the API's own
 * message, the most specific; in Chinese the console's words for the code, and the API's (English)
 * message only when the console has none. Not an API error: its message.
 */
export const errorText = (error: unknown, i18n: Translator): string => {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const code = String(error.details?.code ?? error.code);
  const field = typeof error.details?.field === 'string' ? ` · ${error.details.field}` : '';
  const key = errorKeys[code] ?? errorKeys[error.code];
  const text =
    i18n.lang === 'en' ? error.message : key ? i18n.t(key) : `${i18n.t('errOther')}: ${error.message}`;
  return `${text}${field} (${code})`;
};
