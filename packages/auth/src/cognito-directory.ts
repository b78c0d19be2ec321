import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError, formatScope, NotFoundError, ValidationError } from '@civicgrid/domain';
import { claimNames } from './claims';
import type { LoginIdentity, UserDirectory } from './directory';

/**
 * Logins in a Cognito user pool shared by all tenants. Usernames are unique per pool, not per
 * tenant, so the Cognito Username is our user id (a ULID) and the tenant's login name travels as
 * `preferred_username`; the claims the API reads are custom attributes Cognito copies into ID tokens.
 * `tenantId` is not needed to find a user (ids are global), so callers must check the profile's tenant.
 */
export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async createLogin(identity: LoginIdentity, password?: string): Promise<void> {
    // Cognito's invitation is the only way to a first password when we set none; it needs an address.
    if (password === undefined && identity.email === undefined)
      throw new ValidationError('A login without a password needs an email address for the invitation.');

    const attributes: AttributeType[] = [
      { Name: claimNames.userId, Value: identity.userId },
      ...claimAttributes(identity),
      { Name: 'preferred_username', Value: identity.username },
    ];
    // Marked verified because the administrator vouches for it; Cognito would otherwise want a code.
    if (identity.email !== undefined)
      attributes.push({ Name: 'email', Value: identity.email }, { Name: 'email_verified', Value: 'true' });

    const user = { UserPoolId: this.userPoolId, Username: identity.userId };
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          ...user,
          UserAttributes: attributes,
          ...(password === undefined
            ? { DesiredDeliveryMediums: ['EMAIL'] }
            : // The password is set next; an invitation with a temporary one would only confuse.
              { MessageAction: 'SUPPRESS' }),
        }),
      );
    } catch (error) {
      throw translate(error, identity.userId);
    }
    if (password === undefined) return;

    try {
      await this.client.send(
        new AdminSetUserPasswordCommand({ ...user, Password: password, Permanent: true }),
      );
    } catch (error) {
      // Without its password the login is unusable, and it would make a retry fail as `already_exists`.
      await this.client.send(new AdminDeleteUserCommand(user)).catch(() => undefined);
      throw translate(error, identity.userId);
    }
  }

  async updateClaims(identity: LoginIdentity): Promise<void> {
    const user = { UserPoolId: this.userPoolId, Username: identity.userId };
    try {
      await this.client.send(
        new AdminUpdateUserAttributesCommand({ ...user, UserAttributes: claimAttributes(identity) }),
      );
      // Revokes refresh tokens, so no session begun under the old role and scope outlives its ID token.
      await this.client.send(new AdminUserGlobalSignOutCommand(user));
    } catch (error) {
      throw translate(error, identity.userId);
    }
  }

  async disable(_tenantId: string, userId: string): Promise<void> {
    const user = { UserPoolId: this.userPoolId, Username: userId };
    try {
      // Disabled first, so no new login slips in before the sign-out. The ID token in hand lasts
      // until its `exp`, which is why the API also checks the profile's status on every request.
      await this.client.send(new AdminDisableUserCommand(user));
      await this.client.send(new AdminUserGlobalSignOutCommand(user));
    } catch (error) {
      throw translate(error, userId);
    }
  }

  async enable(_tenantId: string, userId: string): Promise<void> {
    try {
      await this.client.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
    } catch (error) {
      throw translate(error, userId);
    }
  }
}

/** The attributes `updateClaims` may change; `custom:user_id` is fixed at creation. */
const claimAttributes = (identity: LoginIdentity): AttributeType[] => [
  { Name: claimNames.tenantId, Value: identity.tenantId },
  { Name: claimNames.role, Value: identity.role },
  { Name: claimNames.scope, Value: formatScope(identity.scope) },
];

// Matched by name, not instanceof: a second copy of the SDK in the bundle would defeat instanceof.
const translate = (error: unknown, userId: string): unknown => {
  const name = error instanceof Error ? error.name : undefined;
  const reason = error instanceof Error ? error.message : undefined;
  switch (name) {
    case 'UsernameExistsException':
      return new ConflictError('already_exists', `A login for user ${userId} already exists.`);
    case 'AliasExistsException':
      return new ConflictError('already_exists', 'Another login already uses this email address.');
    case 'InvalidPasswordException':
      return new ValidationError('The password does not meet the password policy.', { reason });
    case 'UserNotFoundException':
      return new NotFoundError(`No login for user ${userId}.`);
    default:
      return error;
  }
};
