import type { Role, Scope } from '@civicgrid/domain';

export interface LoginIdentity {
  tenantId: string;
  userId: string;
  username: string;
  role: Role;
  scope: Scope;
  email?: string;
}

/**
 * Where logins live: the local directory keeps scrypt hashes in DynamoDB; in production the
 * Cognito user pool does, and its ID tokens carry the same claims. Profiles stay in DynamoDB
 * either way, so the API reads users the same way in both.
 */
export interface UserDirectory {
  /** Creates the login; `password` is the initial one (Cognito mails a temporary one if absent). */
  createLogin(identity: LoginIdentity, password?: string): Promise<void>;
  /** Role or scope changed: later tokens must carry the new claims. */
  updateClaims(identity: LoginIdentity): Promise<void>;
  /** Refuses new logins and revokes refresh tokens. */
  disable(tenantId: string, userId: string): Promise<void>;
  enable(tenantId: string, userId: string): Promise<void>;
}
