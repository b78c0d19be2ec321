import { ConflictError, NotFoundError } from '@civicgrid/domain';
import type { KeySpec, Store } from '@civicgrid/storage';
import type { LoginIdentity, UserDirectory } from './directory';
import { hashPassword, verifyPassword } from './password';

interface Credentials {
  passwordHash?: string;
  disabled: boolean;
}

const credentialsKey = (userId: string): KeySpec => ({ pk: ['user', userId], sk: ['credentials'] });

/**
 * The embedded platform's login store: scrypt hashes beside the user's profile, in their own
 * item so that reading a profile never carries the hash along.
 */
export class LocalUserDirectory implements UserDirectory {
  constructor(private readonly store: Store) {}

  async createLogin(identity: LoginIdentity, password?: string): Promise<void> {
    const data: Credentials = {
      disabled: false,
      ...(password ? { passwordHash: await hashPassword(password) } : {}),
    };
    try {
      await this.store
        .tenant(identity.tenantId)
        .create({ key: credentialsKey(identity.userId), entity: 'credentials', data });
    } catch (error) {
      if (error instanceof ConflictError)
        throw new ConflictError('already_exists', 'The login already exists.');
      throw error;
    }
  }

  /** Local tokens read role and scope from the profile at sign-in, so nothing is kept here. */
  async updateClaims(identity: LoginIdentity): Promise<void> {
    await this.require(identity.tenantId, identity.userId);
  }

  disable(tenantId: string, userId: string): Promise<void> {
    return this.setDisabled(tenantId, userId, true);
  }

  enable(tenantId: string, userId: string): Promise<void> {
    return this.setDisabled(tenantId, userId, false);
  }

  /** True only for an enabled login whose password matches. */
  async checkPassword(tenantId: string, userId: string, password: string): Promise<boolean> {
    const item = await this.store
      .tenant(tenantId)
      .get<Credentials>(credentialsKey(userId), { consistentRead: true });
    if (!item?.data.passwordHash || item.data.disabled) return false;
    return verifyPassword(password, item.data.passwordHash);
  }

  private async require(tenantId: string, userId: string) {
    const item = await this.store
      .tenant(tenantId)
      .get<Credentials>(credentialsKey(userId), { consistentRead: true });
    if (!item) throw new NotFoundError('Login not found.');
    return item;
  }

  private async setDisabled(tenantId: string, userId: string, disabled: boolean) {
    const item = await this.require(tenantId, userId);
    await this.store
      .tenant(tenantId)
      .replace(
        { key: credentialsKey(userId), entity: 'credentials', data: { ...item.data, disabled } },
        item,
      );
  }
}
