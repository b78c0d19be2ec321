import { join } from 'node:path';
import { ORIGIN_VERIFY_HEADER } from '@civicgrid/aws-runtime';
import { type QueueName, queueDefinitions } from '@civicgrid/queue';
import { tableDefinition } from '@civicgrid/storage';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, TimeZone, Token } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  ClientAttributes,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type BundlingOptions, Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { CfnPlaceIndex } from 'aws-cdk-lib/aws-location';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  esmRequireBanner,
  lambdaAliases,
  lambdaCharset,
  lambdaEntries,
  repoRoot,
  swaggerUiDistDir,
} from './bundling';
import { ConsoleHosting, consoleApiPath } from './console-hosting';
import { ConsoleMapStyle, type MapStyleName } from './map-style';
import { Monitoring } from './monitoring';
import { acknowledgeFunctionFindings, acknowledgeNagFindings, acknowledgeScheduleInvoke } from './nag';
import { leadingKeysOf, TenantAccess } from './tenant-access';

export { repoRoot } from './bundling';

export interface CivicGridStackProps extends StackProps {
  /** Deployment stage, e.g. `dev` or `prod`; `prod` keeps data on stack deletion. */
  readonly stage: string;
  /**
   * Another origin the console is served from, besides the stack's own CloudFront distribution
   * (which needs no CORS: it reaches the API under /api): e.g. `http://localhost:5173` for a
   * console developer, or a custom domain. Allowed by CORS and as a sign-in callback.
   */
  readonly consoleOrigin?: string;
  /** The built console to deploy. @default `<repo>/web/dist`; a placeholder page when not built */
  readonly consoleAssetDir?: string;
  /**
   * The console's base map, an Amazon Location v2 style, or `none` for the blank background (grids
   * only, no tiles). @default 'Standard'
   */
  readonly mapStyle?: MapStyleName | 'none';
  /** Data provider of the Amazon Location place index. @default 'Esri' */
  readonly placeIndexDataSource?: string;
  /** Mailed when an alarm fires. @default none: subscribe to the alarm topic yourself */
  readonly alarmEmail?: string;
  /** ARN of a WAF web ACL (CLOUDFRONT scope, made in us-east-1) for the console distribution. */
  readonly webAclArn?: string;
  /** Powertools log level for every function. @default 'INFO' */
  readonly logLevel?: string;
  /** Default-stage throttling of the HTTP API. @default { rateLimit: 50, burstLimit: 100 } */
  readonly apiThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Prefix of the Cognito hosted-UI domain (`https://<prefix>.auth.<region>.amazoncognito.com`),
   * unique per region across all of AWS. @default `civicgrid-<stage>-<account id>`
   */
  readonly authDomainPrefix?: string;
}

/**
 * The custom attributes behind the claims the API reads from ID tokens (`custom:<name>`), with
 * the same names as `claimNames` in @civicgrid/auth. Only the API writes them, through admin calls.
 */
export const userClaimAttributes = {
  // Cognito's Username is already our user id, but its `sub` is not, so ours travels as a claim.
  user_id: { minLen: 26, maxLen: 26 },
  tenant_id: { maxLen: 32 },
  role: { maxLen: 32 },
  scope: { maxLen: 80 },
} as const;

/**
 * What the API does to attachments: sign uploads (PutObject) and downloads (GetObject) and check
 * that an upload arrived (HeadObject, which S3 authorizes as GetObject). Nothing else, objects only.
 */
export const attachmentObjectActions = ['s3:PutObject', 's3:GetObject'] as const;

/**
 * The headers a browser sends with a presigned upload: the signed content-type, content-length and
 * SSE header (see S3AttachmentStore in @civicgrid/attachments), plus the optional content-disposition.
 */
export const attachmentUploadHeaders = [
  'content-type',
  'content-length',
  'x-amz-server-side-encryption',
  'content-disposition',
] as const;

/** The geocoder's one call (AmazonLocationGeocoder in @civicgrid/geocoding). */
export const placeIndexActions = ['geo:SearchPlaceIndexForText'] as const;

/** The pseudo-tenant of unauthenticated callers' rate-limit counters (PUBLIC_SCOPE in the API). */
const PUBLIC_SCOPE = 'public';

/**
 * What the API does to logins, on this stack's pool only. AdminDeleteUser is there because
 * creating a login with a password deletes the just-created user again if setting the password fails.
 */
export const userAdminActions = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminUserGlobalSignOut',
] as const;

/** Cognito's rules for a hosted-UI domain prefix; checked at synth, where it is known. */
const assertAuthDomainPrefix = (prefix: string) => {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
    throw new Error(
      `Invalid auth domain prefix "${prefix}": use 1-63 lowercase letters, digits and inner dashes, ` +
        'without "aws", "amazon" or "cognito" (e.g. -c authDomainPrefix=civicgrid-dev-acme)',
    );
  }
};

interface QueuePair {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** A route the HTTP API lets through without a token, and why. */
export interface PublicRoute {
  readonly path: string;
  readonly methods: readonly HttpMethod[];
  readonly why: string;
}

/**
 * The only routes the HTTP API serves without a Cognito token; everything else meets the JWT
 * authorizer before the function runs (which verifies the token again). The API's local-only
 * public routes are deliberately absent: on AWS, Cognito signs users in and S3 takes uploads.
 */
export const publicRoutes: readonly PublicRoute[] = [
  { path: '/health', methods: [HttpMethod.GET], why: 'uptime checks' },
  { path: '/openapi.json', methods: [HttpMethod.GET], why: 'the API description' },
  { path: '/docs', methods: [HttpMethod.GET], why: 'Swagger UI' },
  { path: '/docs/{proxy+}', methods: [HttpMethod.GET], why: "Swagger UI's static files" },
  {
    path: '/v1/track/{tenantId}/{trackingCode}',
    methods: [HttpMethod.GET],
    why: 'reporters follow their case by tracking code',
  },
  { path: '/open311/{proxy+}', methods: [HttpMethod.ANY], why: 'Open311 GeoReport v2 for third-party apps' },
  { path: '/v1/public/{proxy+}', methods: [HttpMethod.ANY], why: 'citizen reporting without an account' },
];

/**
 * Public in the API but only where it runs on its own (`pnpm dev`): its own sign-in and keys, and
 * the local attachment store's signed upload and download URLs (on AWS those are S3's).
 */
export const localOnlyPublicPaths = [
  '/v1/auth/login',
  '/.well-known/jwks.json',
  '/v1/attachments/upload/{token}',
  '/v1/attachments/download/{token}',
] as const;

/** Options of a function the stack runs on a schedule; see addScheduledFunction. */
export interface ScheduledFunctionOptions {
  /** Entry point relative to the repo root, exporting `handler`. */
  readonly entry: string;
  readonly schedule: ScheduleExpression;
  readonly description: string;
  /** @default 5 minutes */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Retries of a failed run; 0 when the next run does the same work anyway. @default 0 */
  readonly retryAttempts?: number;
  readonly environment?: Record<string, string>;
}

export class CivicGridStack extends Stack {
  readonly table: TableV2;
  readonly attachmentsBucket: Bucket;
  readonly queues: Record<QueueName, QueuePair>;
  readonly apiFunction: NodejsFunction;
  readonly eventsWorker: NodejsFunction;
  readonly deadlineSweeper: NodejsFunction;
  readonly reconciler: NodejsFunction;
  readonly httpApi: HttpApi;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly userPoolDomain: UserPoolDomain;
  readonly tenantAccess: TenantAccess;
  readonly consoleHosting: ConsoleHosting;
  readonly placeIndex: CfnPlaceIndex;
  /** The console's base map (key and style URL), unless `mapStyle` is `none`. */
  readonly mapStyle?: ConsoleMapStyle;
  readonly monitoring: Monitoring;
  readonly logBucket: Bucket;
  readonly originVerifySecret: Secret;
  /** The WAF web ACL on the console distribution, if one was given. */
  readonly webAclArn?: string;
  /** The HTTP API's routes without the authorizer, with why each is public. */
  readonly publicHttpRoutes: { readonly route: HttpRoute; readonly why: string }[] = [];
  private readonly removalPolicy: RemovalPolicy;
  private readonly commonEnvironment: Record<string, string>;

  constructor(scope: Construct, id: string, props: CivicGridStackProps) {
    super(scope, id, props);
    const {
      stage,
      consoleOrigin,
      consoleAssetDir = join(repoRoot, 'web/dist'),
      placeIndexDataSource = 'Esri',
      alarmEmail,
      webAclArn,
      logLevel = 'INFO',
      apiThrottle = { rateLimit: 50, burstLimit: 100 },
      authDomainPrefix,
      mapStyle = 'Standard',
    } = props;
    const isProd = stage === 'prod';
    this.webAclArn = webAclArn;
    const removalPolicy = isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.removalPolicy = removalPolicy;
    this.monitoring = new Monitoring(this, 'Monitoring', { stage, alarmEmail });

    // Keys and indexes come from the shared definition so the deployed table and the local one
    // (DynamoDB Local in dev and tests) can never drift apart. No stream: nothing consumes one
    // (events travel through the queue, published in the same request as the write).
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: tableDefinition.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      billing: Billing.onDemand(),
      // Encrypted at rest with the AWS-owned key, DynamoDB's default; a customer-managed key
      // would add a KMS call per request for no control a city asked for.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: isProd,
      removalPolicy,
    });
    this.monitoring.watchTable(this.table);

    // Access logs of the buckets and of the console's distribution. CloudFront's standard logs
    // are written with ACLs, which is why this one bucket lets object writers own their objects.
    this.logBucket = new Bucket(this, 'LogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'ExpireLogs', expiration: Duration.days(isProd ? 365 : 30) }],
      removalPolicy,
      autoDeleteObjects: !isProd,
    });

    this.queues = Object.fromEntries(
      Object.entries(queueDefinitions).map(([name, definition]) => {
        const fifo = definition.fifo;
        const deadLetterQueue = new Queue(this, `${pascal(name)}DeadLetterQueue`, {
          // A FIFO queue may only redrive into a FIFO dead-letter queue.
          fifo: fifo || undefined,
          retentionPeriod: Duration.days(definition.deadLetterRetentionDays),
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          removalPolicy,
        });
        const queue = new Queue(this, `${pascal(name)}Queue`, {
          fifo: fifo || undefined,
          contentBasedDeduplication: fifo ? definition.contentBasedDeduplication : undefined,
          visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
          retentionPeriod: Duration.days(definition.retentionDays),
          deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          removalPolicy,
        });
        this.monitoring.watchQueue(pascal(name), queue, deadLetterQueue);
        return [name, { queue, deadLetterQueue }];
      }),
    ) as Record<QueueName, QueuePair>;

    // One pool for every tenant. City admins create users through the API (AdminCreateUser), so
    // nobody signs up. The Username is our user id (a ULID), unique across the pool; the login name,
    // unique only within a tenant, is `preferred_username`, which is why it is no sign-in alias.
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `civicgrid-${stage}`,
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      standardAttributes: {
        email: { required: false, mutable: true },
        preferredUsername: { required: false, mutable: true },
      },
      // Mutable, or role and scope changes could not be written to an existing user.
      customAttributes: Object.fromEntries(
        Object.entries(userClaimAttributes).map(([name, limits]) => [
          name,
          new StringAttribute({ ...limits, mutable: true }),
        ]),
      ),
      passwordPolicy: {
        minLength: 10,
        requireLowercase: true,
        requireDigits: true,
        requireUppercase: false,
        requireSymbols: false,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Users may add an authenticator app; SMS would need an SNS origination setup per country.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      deletionProtection: isProd,
      removalPolicy,
    });

    // Routes are added once the API function exists; the console's distribution needs the API first.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `civicgrid-${stage}`,
      // Only for a console served from elsewhere: the stack's own console calls the API as /api.
      corsPreflight: consoleOrigin
        ? {
            allowOrigins: [consoleOrigin],
            allowMethods: [CorsHttpMethod.ANY],
            allowHeaders: ['authorization', 'content-type', 'x-request-id'],
            exposeHeaders: ['x-request-id'],
            maxAge: Duration.days(1),
          }
        : undefined,
      // The stage is declared below so it can carry throttling defaults and access logs.
      createDefaultStage: false,
    });

    // Lets the API believe CloudFront-Viewer-Address: only the distribution knows this value.
    this.originVerifySecret = new Secret(this, 'OriginVerifySecret', {
      description: `CivicGrid (${stage}): sent by the console distribution to the API`,
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const originSecret = this.originVerifySecret.secretValue.unsafeUnwrap();

    this.consoleHosting = new ConsoleHosting(this, 'Console', {
      assetDir: consoleAssetDir,
      apiOriginHeaders: { [ORIGIN_VERIFY_HEADER]: originSecret },
      webAclArn,
      api: this.httpApi,
      removalPolicy,
      autoDeleteObjects: !isProd,
      logBucket: this.logBucket,
    });
    const consoleOrigins = [this.consoleHosting.origin, ...(consoleOrigin ? [consoleOrigin] : [])];

    this.userPoolClient = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: `civicgrid-${stage}-console`,
      // A browser app cannot keep a secret; the code flow with PKCE needs none.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: consoleOrigins.map((origin) => `${origin}/auth/callback`),
        logoutUrls: consoleOrigins,
      },
      authFlows: { userSrp: true },
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // ID tokens carry exactly these, among them the claims the API authorizes with.
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, preferredUsername: true })
        .withCustomAttributes(...Object.keys(userClaimAttributes)),
      // What users may change about themselves with their own access token. Never the claims, and
      // not the email or login name either: the API keeps those in the table, the login name unique
      // per tenant. The list must not be empty, as an empty one lets users write every standard attribute.
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true, timezone: true }),
    });

    const domainPrefix = authDomainPrefix ?? `civicgrid-${stage}-${this.account}`;
    // The account id is a token in an environment-agnostic synth; any 12 digits stand in for it.
    assertAuthDomainPrefix(
      Token.isUnresolved(domainPrefix) && authDomainPrefix === undefined
        ? `civicgrid-${stage}-000000000000`
        : domainPrefix,
    );
    this.userPoolDomain = this.userPool.addDomain('HostedUiDomain', {
      cognitoDomain: { domainPrefix },
    });

    // Case photos: clients PUT and GET them directly with URLs the API presigns, so the bucket
    // itself stays private. Keys are `<tenantId>/attachments/yyyy/mm/<ulid>`.
    this.attachmentsBucket = new Bucket(this, 'AttachmentsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // SSE-S3, the AES256 every presigned upload signs, so no KMS permissions are involved.
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'attachments-bucket/',
      lifecycleRules: [
        {
          id: 'AbortIncompleteMultipartUploads',
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: 'InfrequentAccessAfter90Days',
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) }],
        },
        // Versioning guards against overwrites; a replaced or deleted version need not live forever.
        { id: 'ExpireOldVersions', noncurrentVersionExpiration: Duration.days(30) },
      ],
      // Only the console uploads and downloads from a browser.
      cors: [
        {
          allowedOrigins: consoleOrigins,
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          allowedHeaders: [...attachmentUploadHeaders],
          exposedHeaders: ['ETag'],
          maxAge: Duration.days(1).toSeconds(),
        },
      ],
      removalPolicy,
      autoDeleteObjects: !isProd,
    });

    // Geocoding of addresses the gazetteer does not know. SingleUse: results are shown and
    // turned into a point, never stored as the provider's data.
    this.placeIndex = new CfnPlaceIndex(this, 'PlaceIndex', {
      indexName: `civicgrid-${stage}`,
      dataSource: placeIndexDataSource,
      dataSourceConfiguration: { intendedUse: 'SingleUse' },
      description: `CivicGrid (${stage}) geocoding`,
    });

    if (mapStyle !== 'none') {
      this.mapStyle = new ConsoleMapStyle(this, 'MapStyle', {
        stage,
        origins: consoleOrigins,
        style: mapStyle,
      });
    }

    // Every function reaches tenant items only through this role, assumed per tenant.
    this.tenantAccess = new TenantAccess(this, 'TenantAccess', { table: this.table });

    const events = this.queues.events;
    const eventsDefinition = queueDefinitions.events;

    this.commonEnvironment = {
      TABLE_NAME: this.table.tableName,
      TENANT_ROLE_ARN: this.tenantAccess.role.roleArn,
      EVENTS_QUEUE_URL: events.queue.queueUrl,
      LOG_LEVEL: logLevel,
      POWERTOOLS_METRICS_NAMESPACE: 'CivicGrid',
      // Readable stack traces cost a cold start: Node parses the whole source map at load, about
      // doubling init (see the lambda-bundles bench). Prod starts fast; its maps stay in the asset.
      ...(isProd ? {} : { NODE_OPTIONS: '--enable-source-maps' }),
    };

    this.apiFunction = this.nodeFunction('ApiFunction', {
      entry: lambdaEntries.api,
      serviceName: 'civicgrid-api',
      description: 'CivicGrid HTTP API',
      // Below the HTTP API's 30 s integration limit, so the function's own timeout is what the caller sees.
      timeout: Duration.seconds(25),
      // More memory is more CPU: token checks, zod and JSON dominate a request.
      memorySize: 1024,
      environment: {
        SWAGGER_UI_DIR: '/var/task/swagger-ui',
        // With AWS_REGION, enough to derive the token issuer and its JWKS URL.
        USER_POOL_ID: this.userPool.userPoolId,
        USER_POOL_CLIENT_ID: this.userPoolClient.userPoolClientId,
        ATTACHMENTS_BUCKET: this.attachmentsBucket.bucketName,
        // Ref of a place index is its name.
        PLACE_INDEX_NAME: this.placeIndex.ref,
        // Resolved by CloudFormation at deploy time; the template itself holds only a reference.
        CLOUDFRONT_ORIGIN_SECRET: originSecret,
      },
      bundling: {
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // /docs serves Swagger UI's files from disk; they are not imported, so esbuild cannot see them.
          afterBundling: (inputDir, outputDir) => {
            const source = `${inputDir}/${swaggerUiDistDir()}`;
            return [
              `mkdir -p "${outputDir}/swagger-ui"`,
              `cp "${source}/swagger-ui.css" "${source}/swagger-ui-bundle.js" "${outputDir}/swagger-ui/"`,
            ];
          },
        },
      },
    });

    this.eventsWorker = this.nodeFunction('EventsWorkerFunction', {
      entry: lambdaEntries.eventsWorker,
      serviceName: 'civicgrid-events-worker',
      description: 'CivicGrid events worker: notifications and automatic dispatch',
      // AWS advises a queue visibility timeout of at least six times the consumer's timeout,
      // so a throttled or retried batch is not redelivered while still being worked on.
      timeout: Duration.seconds(Math.max(1, Math.floor(eventsDefinition.visibilityTimeoutSeconds / 6))),
    });
    this.eventsWorker.addEventSource(
      new SqsEventSource(events.queue, {
        batchSize: eventsDefinition.batchSize,
        // Only the failed messages of a batch are retried (the worker reports them individually).
        reportBatchItemFailures: eventsDefinition.reportBatchItemFailures,
        // Caps the worker's share of the table and the account's concurrency during a burst,
        // without reserved concurrency (which a new account's quota of 10 may not even allow).
        maxConcurrency: 10,
        // No maxBatchingWindow: SQS FIFO event sources do not accept one.
      }),
    );

    // Often enough that a warning an hour ahead arrives in time; each run reads only the days
    // around now, and a missed run's work is done by the next, so a failed run is not retried.
    this.deadlineSweeper = this.addScheduledFunction('DeadlineSweeper', {
      entry: lambdaEntries.deadlineSweeper,
      description: 'CivicGrid deadline sweeper: warns before and flags overdue case steps',
      schedule: ScheduleExpression.rate(Duration.minutes(5)),
      timeout: Duration.minutes(2),
    });

    // Nightly, after the day has closed in China: recompute the month's analytics counters from
    // the event logs and log any drift (repair stays a deliberate, manual choice).
    this.reconciler = this.addScheduledFunction('Reconciler', {
      entry: lambdaEntries.reconciler,
      description: 'CivicGrid analytics reconciliation: recounts the month from the event logs',
      schedule: ScheduleExpression.cron({ hour: '2', minute: '30', timeZone: TimeZone.ASIA_SHANGHAI }),
      timeout: Duration.minutes(15),
      memorySize: 1024,
      retryAttempts: 2,
    });

    // No function role reaches a tenant's items itself: each assumes the tenant-access role,
    // tagged with the tenant, per tenant (see TenantAccess). The API's own role has one narrow
    // grant besides: the rate-limit counters of unauthenticated callers under `public#`.
    for (const fn of [this.apiFunction, this.eventsWorker]) this.grantTenantAccess(fn);
    this.apiFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
        conditions: leadingKeysOf(PUBLIC_SCOPE),
      }),
    );
    events.queue.grantSendMessages(this.apiFunction);
    // The worker's reactions (auto-dispatch) publish the events of the commands they run.
    events.queue.grantSendMessages(this.eventsWorker);
    // SqsEventSource has already granted the worker consume rights on the events queue.
    // Only the API manages logins; the worker has no business with the user pool.
    this.userPool.grant(this.apiFunction, ...userAdminActions);
    // Object-level only, for the presigned URLs the API signs; the worker gets nothing on the bucket.
    // grantPut and grantRead would add tagging, retention, legal-hold and multipart-abort rights,
    // and bucket-level GetBucket* and List*, none of which presigned single-part URLs need.
    this.apiFunction.addToRolePolicy(
      new PolicyStatement({
        actions: [...attachmentObjectActions],
        resources: [this.attachmentsBucket.arnForObjects('*')],
      }),
    );
    // Without ListBucket S3 answers a HEAD of a never-uploaded key with 403 instead of 404,
    // and "not uploaded yet" is an answer the API gives, not an error.
    this.apiFunction.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.attachmentsBucket.bucketArn] }),
    );
    // The one call the geocoder makes, on this index only.
    this.apiFunction.addToRolePolicy(
      new PolicyStatement({
        actions: [...placeIndexActions],
        resources: [this.placeIndex.attrIndexArn],
      }),
    );

    // Every request meets the Cognito JWT authorizer unless its route is listed as public; the
    // function verifies the token again, so the authorizer is a gate, not the only check.
    const integration = new HttpLambdaIntegration('ApiIntegration', this.apiFunction);
    const authorizer = new HttpJwtAuthorizer(
      'CognitoAuthorizer',
      `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`,
      { jwtAudience: [this.userPoolClient.userPoolClientId] },
    );
    new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration,
      authorizer,
    });
    const none = new HttpNoneAuthorizer();
    for (const route of publicRoutes) {
      for (const added of this.httpApi.addRoutes({
        path: route.path,
        methods: [...route.methods],
        integration,
        authorizer: none,
      })) {
        this.publicHttpRoutes.push({ route: added, why: route.why });
      }
    }
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    const apiStage = new HttpStage(this, 'HttpApiDefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    this.monitoring.watchApi(this.httpApi);
    this.monitoring.watchFunction('Api', this.apiFunction);
    this.monitoring.watchFunction('EventsWorker', this.eventsWorker);

    this.consoleHosting.deploy({
      stage,
      region: this.region,
      // Same origin: the distribution passes /api/* to the HTTP API.
      apiBaseUrl: consoleApiPath,
      userPoolId: this.userPool.userPoolId,
      userPoolClientId: this.userPoolClient.userPoolClientId,
      authDomain: this.userPoolDomain.baseUrl(),
      redirectPath: '/auth/callback',
      // Absent: the console draws its grids on a blank background.
      ...(this.mapStyle ? { mapStyleUrl: this.mapStyle.styleUrl } : {}),
    });

    new CfnOutput(this, 'ConsoleUrl', { value: this.consoleHosting.origin });
    new CfnOutput(this, 'ApiUrl', { value: apiStage.url });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AttachmentsBucketName', { value: this.attachmentsBucket.bucketName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'AuthDomain', {
      description: 'Base URL of the Cognito hosted UI',
      value: this.userPoolDomain.baseUrl(),
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'TenantAccessRoleArn', { value: this.tenantAccess.role.roleArn });
    for (const [name, { queue, deadLetterQueue }] of Object.entries(this.queues)) {
      new CfnOutput(this, `${pascal(name)}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${pascal(name)}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });
    }

    acknowledgeNagFindings(this);
  }

  /**
   * Adds a function that runs on a schedule, with what every function has (tenant access, the
   * events queue, logs, alarms, a dashboard row); the deadline sweeper and the reconciler use it.
   */
  addScheduledFunction(id: string, options: ScheduledFunctionOptions): NodejsFunction {
    const fn = this.nodeFunction(`${id}Function`, {
      entry: options.entry,
      serviceName: `civicgrid-${id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`,
      description: options.description,
      timeout: options.timeout ?? Duration.minutes(5),
      memorySize: options.memorySize,
      environment: options.environment,
    });
    this.grantTenantAccess(fn);
    // Jobs may publish events (e.g. a flag that notifies someone), as the API does.
    this.queues.events.queue.grantSendMessages(fn);
    new Schedule(this, `${id}Schedule`, {
      description: options.description,
      schedule: options.schedule,
      target: new LambdaInvoke(fn, { retryAttempts: options.retryAttempts ?? 0 }),
    });
    acknowledgeScheduleInvoke(this, this.getLogicalId(fn.node.defaultChild as never));
    this.monitoring.watchFunction(id, fn);
    return fn;
  }

  private grantTenantAccess(fn: NodejsFunction): void {
    if (!fn.role) throw new Error(`${fn.node.id} has no role to grant tenant access to`);
    this.tenantAccess.grantAssume(fn.role);
  }

  private nodeFunction(
    id: string,
    options: {
      entry: string;
      serviceName: string;
      description: string;
      timeout: Duration;
      memorySize?: number;
      environment?: Record<string, string>;
      bundling?: BundlingOptions;
    },
  ): NodejsFunction {
    const fn = new NodejsFunction(this, id, {
      entry: join(repoRoot, options.entry),
      handler: 'handler',
      description: options.description,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'pnpm-lock.yaml'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: options.memorySize ?? 512,
      timeout: options.timeout,
      tracing: Tracing.ACTIVE,
      environment: {
        ...this.commonEnvironment,
        POWERTOOLS_SERVICE_NAME: options.serviceName,
        ...options.environment,
      },
      logGroup: new LogGroup(this, `${id}Logs`, {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: this.removalPolicy,
      }),
      bundling: {
        format: OutputFormat.ESM,
        // Prefer packages' ESM builds; CJS-only dependencies still work through the banner's require.
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
        minify: true,
        sourceMap: true,
        charset: lambdaCharset === 'utf8' ? Charset.UTF8 : Charset.ASCII,
        // esbuild runs in projectRoot (the repo root), which the aliases' paths are relative to.
        esbuildArgs: Object.fromEntries(
          Object.entries(lambdaAliases).map(([name, path]) => [`--alias:${name}`, path]),
        ),
        // Bundle the AWS SDK too, so Lambda runs the exact versions the lockfile pins and the tests
        // used; esbuild keeps only the clients and commands the code imports.
        externalModules: [],
        ...options.bundling,
      },
    });
    acknowledgeFunctionFindings(fn);
    return fn;
  }
}
