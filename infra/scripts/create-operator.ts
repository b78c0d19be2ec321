/**
 * Creates the platform operator of a freshly deployed stack: the one user somebody has to create
 * directly, since every other user is created through the API by someone who already exists (the
 * operator onboards cities and their first admin; admins create their staff).
 *
 * Runs on the deploying machine with its own AWS credentials (the default chain, e.g. AWS_PROFILE):
 *
 *   CIVICGRID_OPERATOR_PASSWORD='…' pnpm exec tsx infra/scripts/create-operator.ts \
 *     --table <TableName> --user-pool <UserPoolId> --username operator \
 *     --display-name '平台运营 Operator' [--email ops@example.cn]
 *
 * Without CIVICGRID_OPERATOR_PASSWORD Cognito mails a temporary password to --email instead.
 * Running it again for an existing username changes nothing.
 */
import { parseArgs } from 'node:util';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createUser, findUserIdByUsername } from '@civicgrid/api';
import { CognitoUserDirectory } from '@civicgrid/auth';
import { PLATFORM_TENANT, systemClock } from '@civicgrid/domain';
import { createDocumentClient, Store } from '@civicgrid/storage';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    'user-pool': { type: 'string' },
    username: { type: 'string', default: 'operator' },
    'display-name': { type: 'string', default: '平台运营 Operator' },
    email: { type: 'string' },
  },
});
const table = values.table;
const userPoolId = values['user-pool'];
if (!table || !userPoolId) {
  console.error(
    'usage: create-operator.ts --table <TableName> --user-pool <UserPoolId> [--username] [--email]',
  );
  process.exit(2);
}
const password = process.env.CIVICGRID_OPERATOR_PASSWORD;
if (!password && !values.email) {
  console.error('Give CIVICGRID_OPERATOR_PASSWORD, or --email for Cognito to send a temporary password.');
  process.exit(2);
}

const platform = new Store(createDocumentClient(), table, systemClock).tenant(PLATFORM_TENANT);
const existing = await findUserIdByUsername(platform, values.username);
if (existing) {
  console.log(`platform/${values.username} exists already (user ${existing}); nothing changed.`);
} else {
  const user = await createUser(
    {
      tenant: platform,
      principal: { tenantId: PLATFORM_TENANT, userId: 'system', role: 'city_admin', scope: { kind: 'city' } },
      requestId: 'create-operator',
      clock: systemClock,
      directory: new CognitoUserDirectory(new CognitoIdentityProviderClient({}), userPoolId),
    },
    {
      username: values.username,
      displayName: values['display-name'],
      role: 'platform_operator',
      scope: { kind: 'platform' },
      ...(values.email ? { email: values.email } : {}),
      ...(password ? { password } : {}),
    },
  );
  console.log(`created platform/${user.username} (user ${user.id}); sign in to the console as ${user.id}.`);
}
