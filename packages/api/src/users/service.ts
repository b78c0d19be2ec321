import type { UserDirectory } from '@civicgrid/auth';
import {
  ConflictError,
  NotFoundError,
  newId,
  type Page,
  type Principal,
  type Scope,
  scopeFitsRole,
  type Target,
  ValidationError,
} from '@civicgrid/domain';
import { type StoredItem, type TenantStore, type Versioned, versioned } from '@civicgrid/storage';
import { auditOp } from '../audit/audit-log';
import { findDepartment } from '../catalog/department-store';
import { assertAllowed } from '../http/auth';
import type { WriteContext } from '../http/env';
import { findUnit } from '../org/unit-store';
import { findUser, placeParts, type UserProfile, userItem, usernameKey } from './user-store';

export type UserContext = WriteContext & { directory: UserDirectory };

export type UserView = Versioned<UserProfile>;

export const toView = versioned<UserProfile>;

/** Where a user sits, for the policy: its org unit, its department, and itself. */
export const userTarget = (user: UserProfile): Omit<Target, 'tenantId'> => ({
  ownerUserId: user.id,
  ...(user.scope.kind === 'org' ? { orgCode: user.scope.code } : {}),
  ...(user.scope.kind === 'department' ? { departmentIds: [user.scope.departmentId] } : {}),
});

/** The role must fit the scope's level, and the scope must name a unit or department of this tenant. */
const assertScopeFits = async (tenant: TenantStore, role: UserProfile['role'], scope: Scope) => {
  if (!scopeFitsRole(role, scope)) {
    throw new ValidationError(`A ${role} cannot hold the scope ${JSON.stringify(scope)}.`, {
      code: 'scope_mismatch',
    });
  }
  if (scope.kind === 'org') {
    const unit = await findUnit(tenant, scope.code);
    if (unit?.data.status !== 'active') {
      throw new ValidationError(`No unit ${scope.code} in this city.`, { code: 'unknown_org_unit' });
    }
  }
  if (scope.kind === 'department' && !(await findDepartment(tenant, scope.departmentId))) {
    throw new ValidationError(`No department ${scope.departmentId} in this city.`, {
      code: 'unknown_department',
    });
  }
};

const identityOf = (tenantId: string, user: UserProfile) => ({
  tenantId,
  userId: user.id,
  username: user.username,
  role: user.role,
  scope: user.scope,
  ...(user.email ? { email: user.email } : {}),
});

/** The user id is new, so the only condition a create can lose is the username claim. */
const transactOrExplain = async (tenant: TenantStore, ops: Parameters<TenantStore['transact']>[0]) => {
  try {
    await tenant.transact(ops);
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'transaction_conflict') {
      throw new ConflictError('already_exists', 'The username is taken.', { field: 'username' });
    }
    throw error;
  }
};

export const createUser = async (
  ctx: UserContext,
  input: Omit<UserProfile, 'id' | 'status'> & { password?: string },
): Promise<UserView> => {
  await assertScopeFits(ctx.tenant, input.role, input.scope);
  const { password, ...fields } = input;
  const user: UserProfile = { ...fields, id: newId(ctx.clock.now().getTime()), status: 'active' };
  // Profile, username claim and audit entry commit together; a taken username leaves nothing.
  await transactOrExplain(ctx.tenant, [
    { kind: 'create', item: userItem(user) },
    {
      kind: 'create',
      item: { key: usernameKey(user.username), entity: 'username', data: { userId: user.id } },
    },
    auditOp(ctx.clock, {
      principal: ctx.principal,
      requestId: ctx.requestId,
      action: 'user.create',
      target: { type: 'user', id: user.id },
      changes: fields,
    }),
  ]);
  try {
    await ctx.directory.createLogin(identityOf(ctx.tenant.tenantId, user), password);
  } catch (error) {
    // Without a login the user is unusable: take the profile back so nothing is half-created.
    const stored = await findUser(ctx.tenant, user.id);
    await ctx.tenant.transact([
      { kind: 'delete', key: userItem(user).key, expectedVersion: stored?.version },
      { kind: 'delete', key: usernameKey(user.username) },
    ]);
    throw error;
  }
  return toView((await findUser(ctx.tenant, user.id)) as StoredItem<UserProfile>);
};

const loadForWrite = async (ctx: UserContext, userId: string) => {
  const current = await findUser(ctx.tenant, userId);
  if (!current) throw new NotFoundError('User not found.');
  assertAllowed(ctx.principal, 'users.manage', userTarget(current.data));
  return current;
};

export const updateUser = async (
  ctx: UserContext,
  userId: string,
  changes: { version: number } & Partial<Pick<UserProfile, 'displayName' | 'role' | 'scope' | 'email'>>,
): Promise<UserView> => {
  const current = await loadForWrite(ctx, userId);
  const { version, ...fields } = changes;
  const next: UserProfile = { ...current.data, ...fields };
  await assertScopeFits(ctx.tenant, next.role, next.scope);
  await ctx.tenant.transact([
    { kind: 'replace', item: userItem(next), previous: { version, createdAt: current.createdAt } },
    auditOp(ctx.clock, {
      principal: ctx.principal,
      requestId: ctx.requestId,
      action: 'user.update',
      target: { type: 'user', id: userId },
      changes: fields,
    }),
  ]);
  if (fields.role || fields.scope) await ctx.directory.updateClaims(identityOf(ctx.tenant.tenantId, next));
  return toView((await findUser(ctx.tenant, userId)) as StoredItem<UserProfile>);
};

export const setUserStatus = async (
  ctx: UserContext,
  userId: string,
  status: UserProfile['status'],
): Promise<UserView> => {
  const current = await loadForWrite(ctx, userId);
  if (current.data.id === ctx.principal.userId) {
    throw new ValidationError('You cannot change your own status.', { code: 'self_status_change' });
  }
  if (current.data.status !== status) {
    await ctx.tenant.transact([
      { kind: 'replace', item: userItem({ ...current.data, status }), previous: current },
      auditOp(ctx.clock, {
        principal: ctx.principal,
        requestId: ctx.requestId,
        action: status === 'disabled' ? 'user.disable' : 'user.enable',
        target: { type: 'user', id: userId },
      }),
    ]);
    if (status === 'disabled') await ctx.directory.disable(ctx.tenant.tenantId, userId);
    else await ctx.directory.enable(ctx.tenant.tenantId, userId);
  }
  return toView((await findUser(ctx.tenant, userId)) as StoredItem<UserProfile>);
};

/** Lists the users the caller may see: all for a city admin, its subtree for a center. */
export const listUsers = async (
  tenant: TenantStore,
  principal: Principal,
  page: { limit: number; cursor?: string },
): Promise<Page<UserView>> => {
  const { scope } = principal;
  const result =
    scope.kind === 'city'
      ? await tenant.query<UserProfile>({ index: 'GSI1', pk: ['users'], ...page })
      : scope.kind === 'org'
        ? await tenant.query<UserProfile>({
            index: 'GSI2',
            pk: ['users-by-place'],
            skBeginsWith: placeParts(scope),
            ...page,
          })
        : { items: [] };
  return { ...result, items: result.items.map(toView) };
};
