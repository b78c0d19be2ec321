import { formatScope, type Role, type Scope } from '@civicgrid/domain';
import type { IndexKeys, KeySpec, NewItem, StoredItem, TenantStore } from '@civicgrid/storage';

export type UserStatus = 'active' | 'disabled';

export interface UserProfile {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: Scope;
  status: UserStatus;
  email?: string;
}

export const userKey = (userId: string): KeySpec => ({ pk: ['user', userId], sk: ['profile'] });

/** Usernames are unique within a tenant: this item claims one inside the same transaction. */
export const usernameKey = (username: string): KeySpec => ({ pk: ['username', username], sk: ['username'] });

/**
 * GSI1 lists a tenant's users by username; GSI2 lists them by their place, so that a street
 * sub-center can page through exactly the users beneath its code (a key prefix).
 */
const userIndexes = (user: UserProfile): IndexKeys => ({
  GSI1: { pk: ['users'], sk: [user.username] },
  GSI2: { pk: ['users-by-place'], sk: [...placeParts(user.scope), user.id] },
});

/** `org#110101001…` sorts a unit's users right after it, so a prefix query finds its subtree. */
export const placeParts = (scope: Scope): string[] => formatScope(scope).split(':');

export const userItem = (user: UserProfile): NewItem<UserProfile> => ({
  key: userKey(user.id),
  entity: 'user',
  data: user,
  indexes: userIndexes(user),
});

export const findUser = (tenant: TenantStore, userId: string): Promise<StoredItem<UserProfile> | undefined> =>
  tenant.get<UserProfile>(userKey(userId), { consistentRead: true });

export const findUserIdByUsername = async (tenant: TenantStore, username: string) =>
  (await tenant.get<{ userId: string }>(usernameKey(username), { consistentRead: true }))?.data.userId;
