import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { LocationClient } from '@aws-sdk/client-location';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { S3AttachmentStore } from '@civicgrid/attachments';
import { CognitoUserDirectory, createTokenVerifier } from '@civicgrid/auth';
import { systemClock } from '@civicgrid/domain';
import { AmazonLocationGeocoder } from '@civicgrid/geocoding';
import { queueDefinitions, SqsEventPublisher } from '@civicgrid/queue';
import { createDocumentClient, RateLimiter, TenantScopedStore } from '@civicgrid/storage';
import { createRemoteJWKSet } from 'jose';
import { z } from 'zod';
import { assumeTenantRole, TenantCredentialCache, tenantScopedClients } from './tenant-credentials';

export * from './client-ip';
export * from './tenant-credentials';

const EnvSchema = z.object({
  AWS_REGION: z.string().min(1),
  TABLE_NAME: z.string().min(1),
  EVENTS_QUEUE_URL: z.url(),
  /**
   * The role every tenant's DynamoDB calls run under, assumed with the tenant as session tag. The
   * function's own role reaches no tenant's items, so without it nothing but rate limits would work.
   */
  TENANT_ROLE_ARN: z.string().startsWith('arn:'),
  POWERTOOLS_SERVICE_NAME: z.string().default('civicgrid'),
  /** Amazon Location place index; without it cities geocode from their own gazetteer only. */
  PLACE_INDEX_NAME: z.string().min(1).optional(),
});

const AuthEnvSchema = z.object({
  USER_POOL_ID: z.string().min(1),
  USER_POOL_CLIENT_ID: z.string().min(1),
});

/**
 * The production adapters, built once per Lambda container from the environment the CDK
 * stack sets. A missing variable fails the cold start loudly instead of the first request.
 */
export const awsDependencies = (env: NodeJS.ProcessEnv = process.env) => {
  const config = EnvSchema.parse(env);
  const credentials = new TenantCredentialCache(
    assumeTenantRole({ sts: new STSClient({}), roleArn: config.TENANT_ROLE_ARN }),
  );
  // The base client signs with the function's own role: only the `public` rate-limit counters.
  const store = new TenantScopedStore(
    createDocumentClient(),
    config.TABLE_NAME,
    tenantScopedClients(credentials),
    systemClock,
  );
  return {
    store,
    events: new SqsEventPublisher(new SQSClient({}), config.EVENTS_QUEUE_URL, {
      fifo: queueDefinitions.events.fifo,
    }),
    clock: systemClock,
    logger: new Logger({ serviceName: config.POWERTOOLS_SERVICE_NAME }),
    rateLimiter: new RateLimiter(store.client, config.TABLE_NAME, systemClock),
    ...(config.PLACE_INDEX_NAME
      ? { geocoder: new AmazonLocationGeocoder(new LocationClient({}), config.PLACE_INDEX_NAME) }
      : {}),
  };
};

/**
 * Powertools metrics (CloudWatch embedded metric format, written to the log: no API call). Built
 * once per container, outside the handler, so the cold-start metric is counted right.
 */
export const awsMetrics = (env: NodeJS.ProcessEnv = process.env) => {
  const { POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE } = z
    .object({
      POWERTOOLS_SERVICE_NAME: z.string().default('civicgrid'),
      POWERTOOLS_METRICS_NAMESPACE: z.string().default('CivicGrid'),
    })
    .parse(env);
  return new Metrics({ namespace: POWERTOOLS_METRICS_NAMESPACE, serviceName: POWERTOOLS_SERVICE_NAME });
};

/** The API's attachment store; only the API gets the bucket, so only it reads this. */
export const s3Attachments = (env: NodeJS.ProcessEnv = process.env) => {
  const { AWS_REGION, ATTACHMENTS_BUCKET } = EnvSchema.pick({ AWS_REGION: true })
    .extend({ ATTACHMENTS_BUCKET: z.string().min(3) })
    .parse(env);
  // Signed with the function's own role, from the default chain every SDK client here uses.
  return {
    store: new S3AttachmentStore({
      bucket: ATTACHMENTS_BUCKET,
      region: AWS_REGION,
      credentials: defaultProvider(),
    }),
  };
};

/** Users sign in with Cognito; the API verifies its ID tokens against the pool's JWKS. */
export const cognitoAuth = (env: NodeJS.ProcessEnv = process.env) => {
  const { AWS_REGION } = EnvSchema.pick({ AWS_REGION: true }).parse(env);
  const { USER_POOL_ID, USER_POOL_CLIENT_ID } = AuthEnvSchema.parse(env);
  const issuer = `https://cognito-idp.${AWS_REGION}.amazonaws.com/${USER_POOL_ID}`;
  return {
    verify: createTokenVerifier({
      issuer,
      audience: USER_POOL_CLIENT_ID,
      keys: createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)),
    }),
    directory: new CognitoUserDirectory(new CognitoIdentityProviderClient({}), USER_POOL_ID),
  };
};
