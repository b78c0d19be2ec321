import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  AliasExistsException,
  CognitoIdentityProviderClient,
  InvalidPasswordException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { AppError } from '@civicgrid/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoUserDirectory } from './cognito-directory';
import type { LoginIdentity } from './directory';

const POOL = 'cn-north-1_AbCdEf123';
const USER_ID = '01J0000000000000000000USER';
const cognito = mockClient(CognitoIdentityProviderClient);

const identity: LoginIdentity = {
  tenantId: 'demo-city',
  userId: USER_ID,
  username: 'wang.li',
  role: 'street_center',
  scope: { kind: 'org', code: '110101001' },
  email: 'wang.li@example.cn',
};

const directory = () => new CognitoUserDirectory(new CognitoIdentityProviderClient({}), POOL);
const user = { UserPoolId: POOL, Username: USER_ID };

/** Every command sent, in order, as [command name, input]. */
const sent = () => cognito.calls().map((call) => [call.args[0].constructor.name, call.args[0].input]);

const exception = <T>(
  Type: new (opts: { message: string; $metadata: object }) => T,
  message = 'from Cognito',
) => new Type({ message, $metadata: {} });

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );

describe('CognitoUserDirectory', () => {
  beforeEach(() => {
    cognito.reset();
    cognito.onAnyCommand().resolves({});
  });

  describe('createLogin', () => {
    it('with a password: creates the user silently, then sets the password as permanent', async () => {
      await directory().createLogin(identity, 'Correct-Horse-42');

      expect(sent()).toEqual([
        [
          'AdminCreateUserCommand',
          {
            ...user,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'custom:user_id', Value: USER_ID },
              { Name: 'custom:tenant_id', Value: 'demo-city' },
              { Name: 'custom:role', Value: 'street_center' },
              { Name: 'custom:scope', Value: 'org:110101001' },
              { Name: 'preferred_username', Value: 'wang.li' },
              { Name: 'email', Value: 'wang.li@example.cn' },
              { Name: 'email_verified', Value: 'true' },
            ],
          },
        ],
        ['AdminSetUserPasswordCommand', { ...user, Password: 'Correct-Horse-42', Permanent: true }],
      ]);
    });

    it('without a password: lets Cognito mail its invitation and sets no password', async () => {
      await directory().createLogin(identity);

      const calls = cognito.commandCalls(AdminCreateUserCommand);
      expect(calls).toHaveLength(1);
      const input = calls[0]?.args[0].input;
      expect(input?.MessageAction).toBeUndefined();
      expect(input?.DesiredDeliveryMediums).toEqual(['EMAIL']);
      expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
    });

    it('leaves out email attributes when there is no email, and formats other scopes', async () => {
      const { email: _email, ...withoutEmail } = identity;
      await directory().createLogin(
        { ...withoutEmail, role: 'department', scope: { kind: 'department', departmentId: 'water-1' } },
        'Correct-Horse-42',
      );

      const attributes = cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.UserAttributes;
      expect(attributes?.map((a) => a.Name)).toEqual([
        'custom:user_id',
        'custom:tenant_id',
        'custom:role',
        'custom:scope',
        'preferred_username',
      ]);
      expect(attributes).toContainEqual({ Name: 'custom:scope', Value: 'department:water-1' });
    });

    it('refuses a login with neither password nor email, which could never get a first password', async () => {
      const { email: _email, ...withoutEmail } = identity;
      const error = await rejection(directory().createLogin(withoutEmail));
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('validation_failed');
      expect(sent()).toEqual([]);
    });

    it('maps an existing username to already_exists and sets no password', async () => {
      cognito.on(AdminCreateUserCommand).rejects(exception(UsernameExistsException));
      const error = await rejection(directory().createLogin(identity, 'Correct-Horse-42'));
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('already_exists');
      expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
    });

    it('maps an email already used as an alias to already_exists', async () => {
      cognito.on(AdminCreateUserCommand).rejects(exception(AliasExistsException));
      const error = await rejection(directory().createLogin(identity, 'Correct-Horse-42'));
      expect((error as AppError).code).toBe('already_exists');
    });

    it('maps a password the policy refuses to validation_failed and deletes the half-made user', async () => {
      cognito
        .on(AdminSetUserPasswordCommand)
        .rejects(exception(InvalidPasswordException, 'Password must have uppercase characters'));
      const error = await rejection(directory().createLogin(identity, 'weak'));

      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('validation_failed');
      expect((error as AppError).message).toMatch(/password policy/);
      expect((error as AppError).details).toEqual({ reason: 'Password must have uppercase characters' });
      expect(sent().map(([name]) => name)).toEqual([
        'AdminCreateUserCommand',
        'AdminSetUserPasswordCommand',
        'AdminDeleteUserCommand',
      ]);
      expect(cognito.commandCalls(AdminDeleteUserCommand)[0]?.args[0].input).toEqual(user);
    });

    it('reports the password failure even when the clean-up fails too', async () => {
      cognito.on(AdminSetUserPasswordCommand).rejects(exception(InvalidPasswordException));
      cognito.on(AdminDeleteUserCommand).rejects(new Error('Throttled'));
      const error = await rejection(directory().createLogin(identity, 'weak'));
      expect((error as AppError).code).toBe('validation_failed');
    });

    it('passes other errors through unchanged', async () => {
      const denied = new Error('AccessDenied');
      cognito.on(AdminCreateUserCommand).rejects(denied);
      await expect(directory().createLogin(identity, 'Correct-Horse-42')).rejects.toBe(denied);
    });
  });

  describe('updateClaims', () => {
    it('writes tenant, role and scope, then signs the user out everywhere', async () => {
      await directory().updateClaims({ ...identity, role: 'city_admin', scope: { kind: 'city' } });

      expect(sent()).toEqual([
        [
          'AdminUpdateUserAttributesCommand',
          {
            ...user,
            UserAttributes: [
              { Name: 'custom:tenant_id', Value: 'demo-city' },
              { Name: 'custom:role', Value: 'city_admin' },
              { Name: 'custom:scope', Value: 'city' },
            ],
          },
        ],
        ['AdminUserGlobalSignOutCommand', user],
      ]);
    });

    it('maps an unknown user to not_found and signs nobody out', async () => {
      cognito.on(AdminUpdateUserAttributesCommand).rejects(exception(UserNotFoundException));
      const error = await rejection(directory().updateClaims(identity));
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('not_found');
      expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
    });
  });

  describe('disable', () => {
    it('disables the user, then signs them out everywhere', async () => {
      await directory().disable('demo-city', USER_ID);
      expect(sent()).toEqual([
        ['AdminDisableUserCommand', user],
        ['AdminUserGlobalSignOutCommand', user],
      ]);
    });

    it('maps an unknown user to not_found', async () => {
      cognito.on(AdminDisableUserCommand).rejects(exception(UserNotFoundException));
      const error = await rejection(directory().disable('demo-city', USER_ID));
      expect((error as AppError).code).toBe('not_found');
      expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
    });

    it('fails when the sign-out fails, so the caller can retry the whole (idempotent) call', async () => {
      cognito.on(AdminUserGlobalSignOutCommand).rejects(new Error('Throttled'));
      await expect(directory().disable('demo-city', USER_ID)).rejects.toThrow('Throttled');
    });
  });

  describe('enable', () => {
    it('enables the user', async () => {
      await directory().enable('demo-city', USER_ID);
      expect(sent()).toEqual([['AdminEnableUserCommand', user]]);
    });

    it('maps an unknown user to not_found', async () => {
      cognito.on(AdminEnableUserCommand).rejects(exception(UserNotFoundException));
      const error = await rejection(directory().enable('demo-city', USER_ID));
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('not_found');
    });
  });
});
