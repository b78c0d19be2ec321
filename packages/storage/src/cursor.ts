import { AppError } from '@civicgrid/domain';

type LastKey = Record<string, string>;

/** Cursors are opaque to clients: base64url JSON of DynamoDB's LastEvaluatedKey. */
export const encodeCursor = (lastKey: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url');

/**
 * A cursor comes back from a client, so it is untrusted: it must be a flat map of string key
 * attributes and it must continue the very partition being queried. Otherwise a caller could
 * hand in another tenant's key and read past its own data.
 */
export const decodeCursor = (
  cursor: string,
  expected: { partitionAttribute: string; partitionValue: string; attributes: readonly string[] },
): LastKey => {
  const invalid = () => new AppError('invalid_cursor', 'The pagination cursor is not valid for this query.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const entries = Object.entries(parsed);
  const allowed = new Set(expected.attributes);
  if (entries.length === 0 || entries.some(([k, v]) => !allowed.has(k) || typeof v !== 'string')) {
    throw invalid();
  }
  const lastKey = parsed as LastKey;
  if (lastKey[expected.partitionAttribute] !== expected.partitionValue) throw invalid();
  return lastKey;
};
