import { createRequire } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type QueueName, queueDefinitions } from '@civicgrid/queue';
import { tableDefinition } from '@civicgrid/storage';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
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
}

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
  readonly queues: Record<QueueName, QueuePair>;
  readonly apiFunction: NodejsFunction;
  readonly eventsWorker: NodejsFunction;
  readonly httpApi: HttpApi;

  constructor(scope: Construct, id: string, props: CivicGridStackProps) {
    super(scope, id, props);
    const {
      stage,
      consoleOrigin,
      logLevel = 'INFO',
      apiThrottle = { rateLimit: 50, burstLimit: 100 },
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
      environment: { SWAGGER_UI_DIR: swaggerUiDir },
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
    events.queue.grantSendMessages(this.apiFunction);
    // SqsEventSource has already granted the worker consume rights on the events queue.

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
    for (const [name, { queue, deadLetterQueue }] of Object.entries(this.queues)) {
      new CfnOutput(this, `${pascal(name)}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${pascal(name)}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });
    }
  }
}
