import { AppError, type CaseState, newId, type Principal } from '@civicgrid/domain';
import type { KeySpec, TenantStore } from '@civicgrid/storage';
import type { Context } from 'hono';
import { assertAttachmentsUploaded, findAttachment } from '../attachments/attachment-store';
import { type CaseContext, reportCase } from '../cases/service';
import { geocoderFor } from '../geocode/routes';
import type { ApiDeps, ApiEnv } from '../http/env';
import { locatorsFor } from '../org/locator-cache';
import { findTenant, type TenantRecord } from '../tenants/tenant-store';

/** Who uploads photos through the public page; reports without an account may cite only these. */
export const PUBLIC_UPLOADER = 'public';

/**
 * What the public channels keep of a report beside the case: the reporter minted for it (who
 * rates it by tracking code), what the reporter wrote, and for Open311 the client and the
 * photo URL. `private` holds the contact fields the case has no place for; it is never shown.
 */
export interface PublicReport {
  caseId: string;
  channel: 'web' | 'open311';
  reporterId: string;
  description: string;
  categoryCode: string;
  requestedAt: string;
  mediaUrl?: string;
  clientKeyId?: string;
  private?: { email?: string; deviceId?: string; accountId?: string };
}

export const publicReportKey = (caseId: string): KeySpec => ({ pk: ['public-report', caseId], sk: ['meta'] });
/** All public reports of the city, by time of report: what Open311's `GET requests` lists. */
const PUBLIC_REPORTS = ['public-reports'];

export const findPublicReport = (tenant: TenantStore, caseId: string) =>
  tenant.get<PublicReport>(publicReportKey(caseId), { consistentRead: true });

/** Public reports made in [from, to], newest first, at most `limit`. */
export const publicReportsBetween = async (
  tenant: TenantStore,
  from: Date,
  to: Date,
  accept: (report: PublicReport) => Promise<boolean>,
  limit: number,
): Promise<PublicReport[]> => {
  const found: PublicReport[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.query<PublicReport>({
      index: 'GSI1',
      pk: PUBLIC_REPORTS,
      skBetween: [[from.toISOString()], [to.toISOString(), '~']],
      descending: true,
      limit: 100,
      cursor,
    });
    for (const item of page.items) {
      if (await accept(item.data)) found.push(item.data);
      if (found.length >= limit) return found;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return found;
};

/**
 * A city that takes public reports: it exists, has finished onboarding and is not suspended.
 * The tenant comes from the path here, so nothing but public data and new reports are reached.
 */
export const publicCity = async (
  deps: ApiDeps,
  tenantId: string,
): Promise<{ tenant: TenantStore; city: TenantRecord }> => {
  const found = await findTenant(deps.store, tenantId);
  if (!found || found.data.status === 'onboarding') {
    throw new AppError('not_found', 'No city takes reports under this name.');
  }
  if (found.data.status === 'suspended') {
    throw new AppError('tenant_suspended', 'This city is suspended and takes no reports.');
  }
  return { tenant: deps.store.tenant(tenantId), city: found.data };
};

/** The actor of an anonymous report: a citizen without an account, minted for this one report. */
export const anonymousReporter = (tenantId: string, reporterId: string): Principal => ({
  tenantId,
  userId: reporterId,
  role: 'citizen',
  scope: { kind: 'self' },
});

const mintReporterId = () => `anon-${newId()}`;

/** Attachments of anonymous reports: uploaded through the public page of this city. */
const assertPublicUploads = async (deps: ApiDeps, tenant: TenantStore, ids: readonly string[]) => {
  await assertAttachmentsUploaded(deps, tenant, ids);
  const foreign: string[] = [];
  for (const id of new Set(ids)) {
    if ((await findAttachment(tenant, id))?.data.uploadedBy !== PUBLIC_UPLOADER) foreign.push(id);
  }
  if (foreign.length > 0) {
    throw new AppError('validation_failed', 'Some attachments do not exist or were not uploaded.', {
      code: 'attachment_missing',
      ids: foreign,
    });
  }
};

export const publicCaseContext = (
  deps: ApiDeps,
  c: Context<ApiEnv>,
  tenant: TenantStore,
  principal: Principal,
): CaseContext => ({
  tenant,
  principal,
  requestId: c.get('requestId'),
  clock: deps.clock,
  events: deps.events,
  locators: locatorsFor(deps),
  geocode: geocoderFor(deps),
  assertUploaded: (ids) => assertPublicUploads(deps, tenant, ids),
});

export interface PublicReportInput {
  channel: PublicReport['channel'];
  categoryCode: string;
  /** What the reporter wrote, shown back to the public. */
  description: string;
  /** What staff read: the description with the answers to the category's attributes, say. */
  caseDescription?: string;
  location: { point?: [number, number]; address?: string };
  attachmentIds?: string[];
  contact?: { name?: string; phone?: string };
  mediaUrl?: string;
  clientKeyId?: string;
  private?: PublicReport['private'];
  idempotencyKey?: string;
}

/**
 * Files an anonymous report through the same intake as `POST /v1/cases` (geocoding, grid,
 * duplicate check, idempotency), with the public record written in the same transaction.
 */
export const submitPublicReport = async (
  deps: ApiDeps,
  c: Context<ApiEnv>,
  tenant: TenantStore,
  input: PublicReportInput,
) => {
  const reporterId = mintReporterId();
  const ctx = publicCaseContext(deps, c, tenant, anonymousReporter(tenant.tenantId, reporterId));
  const requestedAt = deps.clock.now().toISOString();
  return reportCase(
    ctx,
    {
      channel: input.channel,
      description: input.caseDescription ?? input.description,
      categoryCode: input.categoryCode,
      location: input.location,
      ...(input.attachmentIds ? { attachmentIds: input.attachmentIds } : {}),
      ...(input.contact && Object.keys(input.contact).length > 0 ? { contact: input.contact } : {}),
    },
    // Keys of public callers live apart from staff keys, so no one replays another's report.
    input.idempotencyKey ? `${input.channel}:${input.idempotencyKey}` : undefined,
    ({ caseId }) => [
      {
        kind: 'create',
        item: {
          key: publicReportKey(caseId),
          entity: 'public-report',
          data: {
            caseId,
            channel: input.channel,
            reporterId,
            description: input.description,
            categoryCode: input.categoryCode,
            requestedAt,
            ...(input.mediaUrl ? { mediaUrl: input.mediaUrl } : {}),
            ...(input.clientKeyId ? { clientKeyId: input.clientKeyId } : {}),
            ...(input.private && Object.keys(input.private).length > 0 ? { private: input.private } : {}),
          } satisfies PublicReport,
          indexes: { GSI1: { pk: PUBLIC_REPORTS, sk: [requestedAt, caseId] } },
        },
      },
    ],
  );
};

/** Closed for the public: the work is done or the case will not be worked on. */
export const publicClosed = (status: CaseState['status']): boolean =>
  ['closed', 'evaluated', 'rejected', 'merged', 'voided'].includes(status);
