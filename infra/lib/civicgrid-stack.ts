import { createRequire } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type QueueName, queueDefinitions } from '@civicgrid/queue';
import { tableDefinition } from '@civicgrid/storage';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Token } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import {
  AccountRecovery,
  ClientAttributes,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The monorepo root: entries, the lockfile and node_modules are all resolved from here. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface CivicGridStackProps extends StackProps {
  /** Deployment stage, e.g. `dev` or `prod`; `prod` keeps data on stack deletion. */
  readonly stage: string;
  /** Origin of the web console, the only origin allowed by CORS. */
  readonly consoleOrigin: string;
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
 * What the API does to logins, on this stack's pool only. AdminDeleteUser is there because
 * creating a login with a password deletes the just-created user again if setting the password fails.
 */
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

/**
 * swagger-ui-dist's static files, as a path relative to the repo root so the copy works for
 * both local bundling (input dir = repo root) and Docker bundling (repo root mounted elsewhere).
 * Resolved from packages/api because that is the package that serves them.
 */
const swaggerUiDistDir = () => {
  const requireFromApi = createRequire(join(repoRoot, 'packages/api/package.json'));
  let packageJson: string;
  try {
    packageJson = requireFromApi.resolve('swagger-ui-dist/package.json');
  } catch (cause) {
    throw new Error('swagger-ui-dist is not installed for packages/api; run pnpm install first', { cause });
  }
  return relative(repoRoot, dirname(packageJson)).split(sep).join(posix.sep);
};

export class CivicGridStack extends Stack {
  readonly table: TableV2;
  readonly attachmentsBucket: Bucket;
  readonly queues: Record<QueueName, QueuePair>;
  readonly apiFunction: NodejsFunction;
  readonly eventsWorker: NodejsFunction;
  readonly deadlineSweeper: NodejsFunction;
  readonly httpApi: HttpApi;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly userPoolDomain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: CivicGridStackProps) {
    super(scope, id, props);
    const {
      stage,
      consoleOrigin,
      logLevel = 'INFO',
      apiThrottle = { rateLimit: 50, burstLimit: 100 },
      authDomainPrefix,
    } = props;
    const isProd = stage === 'prod';
    const removalPolicy = isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // Keys and indexes come from the shared definition so the deployed table and the local one
    // (DynamoDB Local in dev and tests) can never drift apart.
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
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: isProd,
      removalPolicy,
    });

    // Case photos: clients PUT and GET them directly with URLs the API presigns, so the bucket
    // itself stays private. Keys are `<tenantId>/attachments/yyyy/mm/<ulid>`.
    this.attachmentsBucket = new Bucket(this, 'AttachmentsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // SSE-S3, the AES256 every presigned upload signs, so no KMS permissions are involved.
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
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
          allowedOrigins: [consoleOrigin],
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          allowedHeaders: [...attachmentUploadHeaders],
          exposedHeaders: ['ETag'],
          maxAge: Duration.days(1).toSeconds(),
        },
      ],
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
        // Anything in a dead-letter queue is a message the workers gave up on: always worth a look.
        new Alarm(this, `${pascal(name)}DeadLetterQueueAlarm`, {
          alarmDescription: `Messages in the ${name} dead-letter queue (${stage})`,
          metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        });
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
      deletionProtection: isProd,
      removalPolicy,
    });

    this.userPoolClient = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: `civicgrid-${stage}-console`,
      // A browser app cannot keep a secret; the code flow with PKCE needs none.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${consoleOrigin}/auth/callback`],
        logoutUrls: [consoleOrigin],
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

    const events = this.queues.events;
    const eventsDefinition = queueDefinitions.events;

    const commonEnvironment = {
      TABLE_NAME: this.table.tableName,
      EVENTS_QUEUE_URL: events.queue.queueUrl,
      LOG_LEVEL: logLevel,
      NODE_OPTIONS: '--enable-source-maps',
    };

    const nodeFunction = (
      id: string,
      options: {
        entry: string;
        serviceName: string;
        timeout: Duration;
        environment?: Record<string, string>;
        bundling?: BundlingOptions;
      },
    ) =>
      new NodejsFunction(this, id, {
        entry: join(repoRoot, options.entry),
        handler: 'handler',
        projectRoot: repoRoot,
        depsLockFilePath: join(repoRoot, 'pnpm-lock.yaml'),
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        memorySize: 512,
        timeout: options.timeout,
        environment: {
          ...commonEnvironment,
          POWERTOOLS_SERVICE_NAME: options.serviceName,
          ...options.environment,
        },
        logGroup: new LogGroup(this, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy }),
        bundling: {
          format: OutputFormat.ESM,
          // Prefer packages' ESM builds; CJS-only dependencies still work through the banner's require.
          mainFields: ['module', 'main'],
          banner:
            "import { createRequire as __cgCreateRequire } from 'node:module'; const require = __cgCreateRequire(import.meta.url);",
          minify: true,
          sourceMap: true,
          // Bundle the AWS SDK too, so Lambda runs the exact versions the lockfile pins and the tests used.
          externalModules: [],
          ...options.bundling,
        },
      });

    const swaggerUiDir = '/var/task/swagger-ui';
    this.apiFunction = nodeFunction('ApiFunction', {
      entry: 'functions/api/src/handler.ts',
      serviceName: 'civicgrid-api',
      // Below the HTTP API's 30 s integration limit, so the function's own timeout is what the caller sees.
      timeout: Duration.seconds(25),
      environment: {
        SWAGGER_UI_DIR: swaggerUiDir,
        // With AWS_REGION, enough to derive the token issuer and its JWKS URL.
        USER_POOL_ID: this.userPool.userPoolId,
        USER_POOL_CLIENT_ID: this.userPoolClient.userPoolClientId,
        ATTACHMENTS_BUCKET: this.attachmentsBucket.bucketName,
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

    this.eventsWorker = nodeFunction('EventsWorkerFunction', {
      entry: 'functions/events-worker/src/handler.ts',
      serviceName: 'civicgrid-events-worker',
      // AWS advises a queue visibility timeout of at least six times the consumer's timeout,
      // so a throttled or retried batch is not redelivered while still being worked on.
      timeout: Duration.seconds(Math.max(1, Math.floor(eventsDefinition.visibilityTimeoutSeconds / 6))),
    });
    this.deadlineSweeper = nodeFunction('DeadlineSweeperFunction', {
      entry: 'functions/deadline-sweeper/src/handler.ts',
      serviceName: 'civicgrid-deadline-sweeper',
      timeout: Duration.minutes(2),
    });
    // Often enough that a warning an hour ahead arrives in time; each run reads only the days around now.
    new Rule(this, 'DeadlineSweepSchedule', {
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(this.deadlineSweeper, { retryAttempts: 0 })],
    });
    this.eventsWorker.addEventSource(
      new SqsEventSource(events.queue, {
        batchSize: eventsDefinition.batchSize,
        // Only the failed messages of a batch are retried (the worker reports them individually).
        reportBatchItemFailures: eventsDefinition.reportBatchItemFailures,
        // No maxBatchingWindow: SQS FIFO event sources do not accept one.
      }),
    );

    // Least privilege: data-plane access to this table (and its indexes) only, send-only for the
    // API and consume-only for the worker. Both functions serve every tenant, so their roles cannot
    // be pinned to one tenant; per-tenant isolation at the IAM level is meant to come from a
    // `dynamodb:LeadingKeys` condition on a per-request, tenant-scoped session (every partition key,
    // of the table and of each index, starts with `<tenantId>#`, which is what makes that possible).
    this.table.grantReadWriteData(this.apiFunction);
    this.table.grantReadWriteData(this.eventsWorker);
    this.table.grantReadWriteData(this.deadlineSweeper);
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

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `civicgrid-${stage}`,
      // Hono routes inside the function, so every request goes to it.
      defaultIntegration: new HttpLambdaIntegration('ApiIntegration', this.apiFunction),
      corsPreflight: {
        allowOrigins: [consoleOrigin],
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'x-request-id'],
        exposeHeaders: ['x-request-id'],
        maxAge: Duration.days(1),
      },
      // The stage is declared below so it can carry throttling defaults.
      createDefaultStage: false,
    });
    const apiStage = new HttpStage(this, 'HttpApiDefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: apiThrottle,
    });

    new CfnOutput(this, 'ApiUrl', { value: apiStage.url });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AttachmentsBucketName', { value: this.attachmentsBucket.bucketName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'AuthDomain', {
      description: 'Base URL of the Cognito hosted UI',
      value: this.userPoolDomain.baseUrl(),
    });
    for (const [name, { queue, deadLetterQueue }] of Object.entries(this.queues)) {
      new CfnOutput(this, `${pascal(name)}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${pascal(name)}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });
    }
  }
}
