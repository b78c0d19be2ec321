/**
 * What Lambda bundles get for `@aws-sdk/credential-provider-node` (esbuild alias, see
 * lambdaAliases in ../lib/bundling.ts): the SDK's default credential chain cut down to the
 * sources a Lambda function can have.
 *
 * Every SDK client's runtime config imports `defaultProvider` statically, and its chain (SSO,
 * ini files and profiles, credential_process, web identity, EC2 instance metadata) brings ~100 KB
 * of code, including a second STS client and the SSO/OIDC/sign-in clients, into every bundle.
 * Lambda gives a function its execution role's credentials in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which is the chain's first link (`fromEnv`); the
 * container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI / _RELATIVE_URI, as
 * the default chain's remote provider reads them) is kept as a fallback for runtimes that hand out
 * credentials that way. Profiles, SSO and IMDS do not exist in Lambda, so nothing that can happen
 * there changes. Clients memoize what the provider returns and refresh it before it expires.
 * The exports mirror the real package's (checked by infra/lib/bundling.test.ts).
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';

type ProviderInit = Parameters<typeof fromEnv>[0] & Parameters<typeof fromHttp>[0];
type AwsCredentialIdentityProvider = ReturnType<typeof fromEnv>;
type AwsCredentialIdentity = Awaited<ReturnType<AwsCredentialIdentityProvider>>;

const containerCredentialsConfigured = () =>
  Boolean(
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI || process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );

export const defaultProvider =
  (init: ProviderInit = {}): AwsCredentialIdentityProvider =>
  async (properties) => {
    try {
      return await fromEnv(init)(properties);
    } catch (envError) {
      if (!containerCredentialsConfigured()) throw envError;
      return fromHttp(init)(properties);
    }
  };

export const credentialsWillNeedRefresh = (credentials?: AwsCredentialIdentity): boolean =>
  credentials?.expiration !== undefined;

export const credentialsTreatedAsExpired = (credentials?: AwsCredentialIdentity): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
