import { ApiError } from '../../api';
import { errorText } from '../../errors';
import type { MessageKey, Translator } from '../../i18n';

/** Codes inside a 400's details (the domain's ValidationError) with their own readable text. */
const detailKeys: Record<string, MessageKey> = {
  invalid_catalog: 'catErrInvalid',
  unknown_org_unit: 'depErrUnknownUnit',
};

/**
 * An API error as a headline and the lines that say what exactly was refused: the catalog
 * problems of `invalid_catalog`, the unknown unit codes, or the fields zod rejected.
 */
export const problemLines = (
  error: unknown,
  i18n: Translator,
  keys: Record<string, MessageKey> = {},
): { headline: string; lines: string[] } => {
  if (!(error instanceof ApiError)) return { headline: errorText(error, i18n), lines: [] };
  const details = error.details as unknown;
  if (error.code === 'already_exists') {
    return { headline: `${i18n.t('depErrExists')} (${error.code})`, lines: [] };
  }
  if (Array.isArray(details)) {
    return {
      headline: errorText(error, i18n),
      lines: details.map((issue: { path?: string; message?: string }) =>
        [issue.path, issue.message].filter(Boolean).join(': '),
      ),
    };
  }
  const record = (details ?? {}) as { code?: string; problems?: unknown; codes?: unknown };
  const key = record.code ? (keys[record.code] ?? detailKeys[record.code]) : undefined;
  if (!key) return { headline: errorText(error, i18n), lines: [] };
  const lines = Array.isArray(record.problems)
    ? record.problems.map((p: { categoryCode?: string; message?: string; code?: string }) =>
        [p.categoryCode, p.message ?? p.code].filter(Boolean).join(' · '),
      )
    : Array.isArray(record.codes)
      ? [record.codes.join(', ')]
      : [];
  return { headline: `${i18n.t(key)} (${record.code})`, lines };
};
