import { TenantIdSchema } from '@civicgrid/domain';

export const KEY_SEPARATOR = '#';

/** Key segments are joined with '#'; a segment holding it would make two keys collide. */
export type KeyParts = readonly (string | number)[];

export interface KeySpec {
  pk: KeyParts;
  sk: KeyParts;
}

export interface ItemKey {
  PK: string;
  SK: string;
}

const joinParts = (parts: KeyParts): string => {
  if (parts.length === 0) throw new Error('a key needs at least one segment');
  return parts
    .map((part) => {
      const text = String(part);
      if (text.length === 0 || text.includes(KEY_SEPARATOR)) {
        throw new Error(`invalid key segment ${JSON.stringify(text)}`);
      }
      return text;
    })
    .join(KEY_SEPARATOR);
};

/** The only way a partition key is built: the tenant id always comes first. */
export const partitionKey = (tenantId: string, parts: KeyParts): string =>
  `${TenantIdSchema.parse(tenantId)}${KEY_SEPARATOR}${joinParts(parts)}`;

export const sortKey = (parts: KeyParts): string => joinParts(parts);

export const itemKey = (tenantId: string, spec: KeySpec): ItemKey => ({
  PK: partitionKey(tenantId, spec.pk),
  SK: sortKey(spec.sk),
});

export const belongsToTenant = (tenantId: string, partitionKeyValue: string): boolean =>
  partitionKeyValue.startsWith(`${tenantId}${KEY_SEPARATOR}`);
