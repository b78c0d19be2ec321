import {
  AppError,
  ConflictError,
  NotFoundError,
  type Principal,
  type TenantProfile,
} from '@civicgrid/domain';
import { type StoredItem, type Versioned, versioned } from '@civicgrid/storage';
import { auditOp } from '../audit/audit-log';
import type { ApiDeps } from '../http/env';
import { createUser, toView, type UserView } from '../users/service';
import { findUser, findUserIdByUsername, type UserProfile } from '../users/user-store';
import { findTenant, platformStore, type TenantRecord, type TenantStatus, tenantItem } from './tenant-store';

export interface AdminInput {
  username: string;
  displayName: string;
  email?: string;
  password?: string;
}

interface Actor {
  principal: Principal;
  requestId: string;
}

export type TenantView = Versioned<TenantRecord>;

export const toTenantView = versioned<TenantRecord>;

const sameProfile = (a: TenantProfile, b: TenantProfile) =>
  a.name === b.name &&
  a.divisionCode === b.divisionCode &&
  a.timeZone === b.timeZone &&
  a.locale === b.locale &&
  a.tier === b.tier;

/** Onboarding acts inside the new tenant as the platform itself; the audit log says so. */
const onboardingPrincipal = (tenantId: string): Principal => ({
  tenantId,
  userId: 'platform',
  role: 'city_admin',
  scope: { kind: 'city' },
});

const writeStatus = async (
  deps: ApiDeps,
  actor: Actor,
  current: StoredItem<TenantRecord>,
  status: TenantStatus,
) =>
  platformStore(deps.store).transact([
    { kind: 'replace', item: tenantItem({ ...current.data, status }), previous: current },
    auditOp(deps.clock, {
      principal: actor.principal,
      requestId: actor.requestId,
      action: `tenant.${status === 'active' ? (current.data.status === 'suspended' ? 'resume' : 'activate') : 'suspend'}`,
      target: { type: 'tenant', id: current.data.id },
    }),
  ]);

/**
 * Creates a city tenant and its first city admin. Replaying the same request returns the
 * tenant as it is; a step that fails takes back what this call created, so a retry starts clean.
 */
export const onboardTenant = async (
  deps: ApiDeps,
  actor: Actor,
  input: TenantProfile & { admin: AdminInput },
): Promise<{ tenant: TenantView; admin: UserView; created: boolean }> => {
  const { admin, ...profile } = input;
  const existing = await findTenant(deps.store, profile.id);
  if (existing && !sameProfile(existing.data, profile)) {
    throw new ConflictError('already_exists', 'Another tenant already has this id.', { field: 'id' });
  }
  const tenant = deps.store.tenant(profile.id);
  if (existing && existing.data.status !== 'onboarding') {
    const adminId = await findUserIdByUsername(tenant, admin.username);
    const adminUser = adminId ? await findUser(tenant, adminId) : undefined;
    if (!adminUser) throw new ConflictError('already_exists', 'The tenant exists with another first admin.');
    return { tenant: toTenantView(existing), admin: toView(adminUser), created: false };
  }

  let record = existing;
  const createdNow = !existing;
  if (!record) {
    await platformStore(deps.store).transact([
      { kind: 'create', item: tenantItem({ ...profile, status: 'onboarding' }) },
      auditOp(deps.clock, {
        principal: actor.principal,
        requestId: actor.requestId,
        action: 'tenant.create',
        target: { type: 'tenant', id: profile.id },
        changes: profile,
      }),
    ]);
    record = (await findTenant(deps.store, profile.id)) as StoredItem<TenantRecord>;
  }
  let createdAdminId: string | undefined;
  try {
    const adminId = await findUserIdByUsername(tenant, admin.username);
    const adminUser = adminId
      ? toView((await findUser(tenant, adminId)) as StoredItem<UserProfile>)
      : await createUser(
          {
            tenant,
            principal: onboardingPrincipal(profile.id),
            requestId: actor.requestId,
            clock: deps.clock,
            directory: deps.auth.directory,
          },
          { ...admin, role: 'city_admin', scope: { kind: 'city' } },
        );
    if (!adminId) createdAdminId = adminUser.id;
    await writeStatus(deps, actor, record, 'active');
    const active = (await findTenant(deps.store, profile.id)) as StoredItem<TenantRecord>;
    return { tenant: toTenantView(active), admin: adminUser, created: createdNow };
  } catch (error) {
    if (createdNow) await rollBack(deps, profile.id, createdAdminId);
    throw error;
  }
};

const rollBack = async (deps: ApiDeps, tenantId: string, adminId: string | undefined) => {
  const record = await findTenant(deps.store, tenantId);
  if (record && record.data.status === 'onboarding') {
    await platformStore(deps.store).delete(tenantItem(record.data).key, record.version);
  }
  if (adminId) {
    const tenant = deps.store.tenant(tenantId);
    const user = await findUser(tenant, adminId);
    if (user) {
      await tenant.transact([
        { kind: 'delete', key: { pk: ['user', adminId], sk: ['profile'] } },
        { kind: 'delete', key: { pk: ['username', user.data.username], sk: ['username'] } },
      ]);
    }
  }
};

export const setTenantStatus = async (
  deps: ApiDeps,
  actor: Actor,
  tenantId: string,
  status: 'active' | 'suspended',
): Promise<TenantView> => {
  const current = await findTenant(deps.store, tenantId);
  if (!current) throw new NotFoundError('Tenant not found.');
  if (current.data.status === 'onboarding') {
    throw new AppError('validation_failed', 'The tenant has not finished onboarding.', {
      code: 'tenant_onboarding',
    });
  }
  if (current.data.status !== status) await writeStatus(deps, actor, current, status);
  return toTenantView((await findTenant(deps.store, tenantId)) as StoredItem<TenantRecord>);
};
