import { AppError, isId } from '@civicgrid/domain';
import type { KeySpec, StoredItem, TenantStore } from '@civicgrid/storage';
import type { ApiDeps } from '../http/env';

/** What the API remembers of an upload it handed out a ticket for; the bytes live in the AttachmentStore. */
export interface AttachmentMeta {
  attachmentId: string;
  /** The object key, tenant first; never shown to clients. */
  key: string;
  contentType: string;
  sizeBytes: number;
  fileName?: string;
  /** The userId of the principal who asked for the ticket. */
  uploadedBy: string;
  createdAt: string;
}

export const attachmentMetaKey = (attachmentId: string): KeySpec => ({
  pk: ['attachment', attachmentId],
  sk: ['meta'],
});

export const recordAttachment = (tenant: TenantStore, meta: AttachmentMeta) =>
  tenant.create<AttachmentMeta>({
    key: attachmentMetaKey(meta.attachmentId),
    entity: 'attachment',
    data: meta,
  });

/** Ids that are not ULIDs were never issued, so they are not looked up. */
export const findAttachment = async (
  tenant: TenantStore,
  attachmentId: string,
): Promise<StoredItem<AttachmentMeta> | undefined> =>
  isId(attachmentId)
    ? tenant.get<AttachmentMeta>(attachmentMetaKey(attachmentId), { consistentRead: true })
    : undefined;

/** Whether the bytes arrived; a key the store refuses as another tenant's counts as not uploaded. */
export const isUploaded = async (deps: ApiDeps, tenantId: string, meta: AttachmentMeta): Promise<boolean> => {
  try {
    return (await deps.attachments.store.head(tenantId, meta.attachmentId, meta.key)) !== undefined;
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return false;
    throw error;
  }
};

/**
 * For the case service, before a report or a `handle` may reference attachments: each id must
 * have been ticketed in this tenant and its bytes uploaded. Lists every offending id at once.
 */
export const assertAttachmentsUploaded = async (
  deps: ApiDeps,
  tenant: TenantStore,
  ids: readonly string[],
): Promise<void> => {
  const unique = [...new Set(ids)];
  const present = await Promise.all(
    unique.map(async (id) => {
      const found = await findAttachment(tenant, id);
      return found !== undefined && (await isUploaded(deps, tenant.tenantId, found.data));
    }),
  );
  const missing = unique.filter((_, i) => !present[i]);
  if (missing.length > 0) {
    throw new AppError('validation_failed', 'Some attachments do not exist or were not uploaded.', {
      code: 'attachment_missing',
      ids: missing,
    });
  }
};
