import { queueDefinitions } from '@civicgrid/queue';
import { tableDefinition } from '@civicgrid/storage';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { attachmentUploadHeaders, CivicGridStack, type CivicGridStackProps } from './civicgrid-stack';

const synth = (stage: string, props: Partial<CivicGridStackProps> = {}) => {
  // An empty bundling-stacks list skips esbuild, so these tests neither bundle nor need the handlers' deps.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CivicGridStack(app, `Test-${stage}`, {
    stage,
    consoleOrigin: 'https://console.example.cn',
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
};

/** The claims the API reads from ID tokens; only the API may write them. */
const claimAttributes = ['custom:user_id', 'custom:tenant_id', 'custom:role', 'custom:scope'];

const distributionDomain = (stack: CivicGridStack) => ({
  'Fn::GetAtt': [
    stack.getLogicalId(stack.consoleHosting.distribution.node.defaultChild as never),
    'DomainName',
  ],
});
/** `https://<the console distribution's domain>`, as the template writes it. */
const distributionOrigin = (stack: CivicGridStack) => ({
  'Fn::Join': ['', ['https://', distributionDomain(stack)]],
});

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };
/** The one resource of a `findResources` result, failing the test when there is not exactly one. */
const only = (resources: object): [string, Resource] => {
  const entries = Object.entries(resources) as [string, Resource][];
  expect(entries).toHaveLength(1);
  return entries[0] as [string, Resource];
};

/** The template resource behind a construct. */
const resourceOf = (
  stack: CivicGridStack,
  template: Template,
  construct: { node: { defaultChild?: unknown } },
) => template.toJSON().Resources[stack.getLogicalId(construct.node.defaultChild as never)] as Resource;

/** Every IAM statement attached to a function's role. */
const statementsOf = (stack: CivicGridStack, template: Template, fn: CivicGridStack['apiFunction']) => {
  const roleId = stack.getLogicalId(fn.role?.node.defaultChild as never);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify((p as Resource).Properties.Roles).includes(roleId))
    .flatMap((p) => (p as Resource).Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
    .flatMap((doc) => doc.Statement);
};

describe('CivicGridStack', () => {
  let stack: CivicGridStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synth('dev'));
  });

  it('builds the table from the shared definition', () => {
    const [, table] = only(template.findResources('AWS::DynamoDB::GlobalTable'));
    const props = table.Properties;
    const keySchema = (pk: string, sk: string) => [
      { AttributeName: pk, KeyType: 'HASH' },
      { AttributeName: sk, KeyType: 'RANGE' },
    ];

    expect(props.KeySchema).toEqual(keySchema(tableDefinition.partitionKey, tableDefinition.sortKey));
    const indexes = props.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: unknown;
      Projection: unknown;
    }[];
    expect(
      indexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })),
    ).toEqual(
      tableDefinition.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const keyNames = [
      tableDefinition.partitionKey,
      tableDefinition.sortKey,
      ...tableDefinition.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ];
    expect(props.AttributeDefinitions).toEqual(
      expect.arrayContaining(keyNames.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }))),
    );
    expect(props.AttributeDefinitions).toHaveLength(keyNames.length);
    expect(props.TimeToLiveSpecification).toEqual({
      AttributeName: tableDefinition.timeToLiveAttribute,
      Enabled: true,
    });
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.Replicas).toEqual([
      expect.objectContaining({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    ]);
  });

  it('creates each queue with a dead-letter queue that matches its FIFO-ness', () => {
    for (const [name, definition] of Object.entries(queueDefinitions)) {
      const { queue, deadLetterQueue } = stack.queues[name as keyof typeof queueDefinitions];
      const queueProps = template.toJSON().Resources[stack.getLogicalId(queue.node.defaultChild as never)]
        .Properties as Record<string, unknown>;
      const dlqLogicalId = stack.getLogicalId(deadLetterQueue.node.defaultChild as never);
      const dlqProps = template.toJSON().Resources[dlqLogicalId].Properties as Record<string, unknown>;

      expect(queueProps.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqLogicalId, 'Arn'] },
        maxReceiveCount: definition.maxReceiveCount,
      });
      expect(queueProps.VisibilityTimeout).toBe(definition.visibilityTimeoutSeconds);
      expect(queueProps.FifoQueue).toBe(definition.fifo ? true : undefined);
      expect(dlqProps.FifoQueue).toBe(definition.fifo ? true : undefined);
      expect(queueProps.ContentBasedDeduplication).toBe(
        definition.fifo ? definition.contentBasedDeduplication : undefined,
      );
      expect(dlqProps.MessageRetentionPeriod).toBe(definition.deadLetterRetentionDays * 24 * 60 * 60);
      for (const props of [queueProps, dlqProps]) expect(props.SqsManagedSseEnabled).toBe(true);
    }
    expect(queueDefinitions.events.fifo).toBe(true);
  });

  it('denies non-TLS access to every queue', () => {
    const policies = template.findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(Object.keys(queueDefinitions).length * 2);
    for (const { Properties } of Object.values(policies) as Resource[]) {
      expect(Properties.PolicyDocument).toMatchObject({
        Statement: expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      });
    }
  });

  it('runs every function on Node.js 22, arm64, as ESM with the shared environment', () => {
    // Outside prod, CDK's own auto-delete handler for the attachments bucket is a Lambda function too.
    const ours = [stack.apiFunction, stack.eventsWorker, stack.deadlineSweeper].map((fn) =>
      stack.getLogicalId(fn.node.defaultChild as never),
    );
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toEqual(expect.arrayContaining(ours));
    for (const id of ours) {
      const { Properties } = functions[id] as Resource;
      expect(Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: {
          Variables: expect.objectContaining({
            TABLE_NAME: expect.anything(),
            EVENTS_QUEUE_URL: expect.anything(),
            POWERTOOLS_SERVICE_NAME: expect.any(String),
            LOG_LEVEL: 'INFO',
          }),
        },
      });
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SWAGGER_UI_DIR: '/var/task/swagger-ui' }) },
    });
  });

  it('feeds the events queue to the worker, reporting batch item failures', () => {
    const definition = queueDefinitions.events;
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: stack.getLogicalId(stack.eventsWorker.node.defaultChild as never) },
      EventSourceArn: {
        'Fn::GetAtt': [stack.getLogicalId(stack.queues.events.queue.node.defaultChild as never), 'Arn'],
      },
      BatchSize: definition.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumBatchingWindowInSeconds: Match.absent(),
    });
  });

  it('keeps the worker timeout well inside the queue visibility timeout', () => {
    const worker =
      template.toJSON().Resources[stack.getLogicalId(stack.eventsWorker.node.defaultChild as never)];
    expect(worker.Properties.Timeout * 6).toBeLessThanOrEqual(
      queueDefinitions.events.visibilityTimeoutSeconds,
    );
  });

  it('routes every HTTP API request to the API function, with throttling and CORS', () => {
    const apiFunctionId = stack.getLogicalId(stack.apiFunction.node.defaultChild as never);
    const [integrationId] = only(template.findResources('AWS::ApiGatewayV2::Integration'));
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [apiFunctionId, 'Arn'] },
      PayloadFormatVersion: '2.0',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://console.example.cn'] }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [apiFunctionId, 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it('gives no function role tenant items: each assumes the tenant role, the API also counts public hits', () => {
    const tenantRoleArn = {
      'Fn::GetAtt': [stack.getLogicalId(stack.tenantAccess.role.node.defaultChild as never), 'Arn'],
    };
    const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.table.node.defaultChild as never), 'Arn'] };
    for (const fn of [stack.apiFunction, stack.eventsWorker, stack.deadlineSweeper]) {
      const statements = statementsOf(stack, template, fn);
      expect(statements).toContainEqual({
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: tenantRoleArn,
      });
      const dynamo = statements.filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:'));
      // The only direct table right of any function: the API's rate-limit counters of anonymous callers.
      expect(dynamo).toEqual(
        fn === stack.apiFunction
          ? [
              {
                Effect: 'Allow',
                Action: 'dynamodb:UpdateItem',
                Resource: tableArn,
                Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['public#*'] } },
              },
            ]
          : [],
      );
    }
  });

  it('sends events from the API, the worker and the jobs, and lets only the worker receive them', () => {
    const eventsQueueId = stack.getLogicalId(stack.queues.events.queue.node.defaultChild as never);
    const sendStatement = expect.objectContaining({
      Action: expect.arrayContaining(['sqs:SendMessage']),
      Resource: { 'Fn::GetAtt': [eventsQueueId, 'Arn'] },
    });
    const api = statementsOf(stack, template, stack.apiFunction);
    const worker = statementsOf(stack, template, stack.eventsWorker);
    expect(api).toEqual(expect.arrayContaining([sendStatement]));
    // The worker publishes the events of the commands its reactions run (auto-dispatch).
    expect(worker).toEqual(expect.arrayContaining([sendStatement]));
    expect(statementsOf(stack, template, stack.deadlineSweeper)).toEqual(
      expect.arrayContaining([sendStatement]),
    );
    expect(JSON.stringify(worker)).toContain('sqs:ReceiveMessage');
    expect(JSON.stringify(api)).not.toContain('sqs:ReceiveMessage');
  });

  it('names no wildcard action in any of its own roles', () => {
    const ours = [stack.apiFunction, stack.eventsWorker, stack.deadlineSweeper].flatMap((fn) =>
      statementsOf(stack, template, fn),
    );
    const tenantRole = resourceOf(stack, template, stack.tenantAccess.role).Properties as {
      Policies: { PolicyDocument: { Statement: Record<string, unknown>[] } }[];
    };
    const all = [...ours, ...tenantRole.Policies.flatMap((policy) => policy.PolicyDocument.Statement)];
    expect(all.length).toBeGreaterThan(5);
    for (const statement of all) {
      const actions = [statement.Action].flat() as string[];
      for (const action of actions) {
        // X-Ray's two write actions are the only ones without a resource; they are not wildcards.
        expect(action, JSON.stringify(statement)).not.toContain('*');
      }
      if (statement.Resource === '*') {
        expect(actions.every((action) => action.startsWith('xray:'))).toBe(true);
      }
    }
  });

  it('keeps attachments in a private, encrypted, versioned bucket', () => {
    const bucket = resourceOf(stack, template, stack.attachmentsBucket);
    const props = bucket.Properties;
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('denies non-TLS access to the attachments bucket', () => {
    const bucketId = stack.getLogicalId(stack.attachmentsBucket.node.defaultChild as never);
    const [, policy] = only(
      template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }),
    );
    expect(policy.Properties.PolicyDocument).toMatchObject({
      Statement: expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Resource: expect.arrayContaining([
            { 'Fn::GetAtt': [bucketId, 'Arn'] },
            { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
          ]),
        }),
      ]),
    });
  });

  it('aborts stale multipart uploads, moves old attachments to Infrequent Access, expires old versions', () => {
    const bucket = resourceOf(stack, template, stack.attachmentsBucket);
    const { Rules } = bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] };
    expect(Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        }),
        expect.objectContaining({
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }],
        }),
        expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
      ]),
    );
    expect(Rules).toHaveLength(3);
  });

  it('lets only the console origins PUT and GET attachments from a browser', () => {
    const bucket = resourceOf(stack, template, stack.attachmentsBucket);
    expect(bucket.Properties.CorsConfiguration).toEqual({
      CorsRules: [
        {
          AllowedOrigins: [distributionOrigin(stack), 'https://console.example.cn'],
          AllowedMethods: ['PUT', 'GET'],
          AllowedHeaders: [...attachmentUploadHeaders],
          ExposedHeaders: ['ETag'],
          MaxAge: 24 * 60 * 60,
        },
      ],
    });
    expect(attachmentUploadHeaders).toEqual(
      expect.arrayContaining(['content-type', 'content-length', 'x-amz-server-side-encryption']),
    );
    const custom = synth('dev', { consoleOrigin: 'https://console.civicgrid.example' }).template;
    custom.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({ AllowedOrigins: [Match.anyValue(), 'https://console.civicgrid.example'] }),
        ],
      },
    });
  });

  it('tells only the API where attachments live, and lets it put, get and find objects, nothing more', () => {
    const bucketId = stack.getLogicalId(stack.attachmentsBucket.node.defaultChild as never);
    const functions = template.toJSON().Resources;
    const variablesOf = (fn: CivicGridStack['apiFunction']) =>
      functions[stack.getLogicalId(fn.node.defaultChild as never)].Properties.Environment.Variables;
    expect(variablesOf(stack.apiFunction)).toMatchObject({ ATTACHMENTS_BUCKET: { Ref: bucketId } });
    expect(variablesOf(stack.eventsWorker)).not.toHaveProperty('ATTACHMENTS_BUCKET');

    const s3Statements = statementsOf(stack, template, stack.apiFunction).filter((statement) =>
      JSON.stringify(statement.Action).includes('s3:'),
    );
    expect(s3Statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      },
      // So that a HEAD of a never-uploaded key answers 404, not 403.
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] } },
    ]);
    const worker = JSON.stringify(statementsOf(stack, template, stack.eventsWorker));
    expect(worker).not.toContain('s3:');
    expect(worker).not.toContain(bucketId);
  });

  it('keeps tenant users in a pool only administrators add to', () => {
    const [, pool] = only(template.findResources('AWS::Cognito::UserPool'));
    const props = pool.Properties;
    expect(props.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    // Sign-in by Username (our user id): no email or preferred_username alias.
    expect(props.UsernameAttributes).toBeUndefined();
    expect(props.AliasAttributes).toBeUndefined();
    const schema = props.Schema as Record<string, unknown>[];
    const custom = (name: string, constraints: Record<string, string>) => ({
      Name: name,
      AttributeDataType: 'String',
      Mutable: true,
      StringAttributeConstraints: constraints,
    });
    expect(schema).toEqual(
      expect.arrayContaining([
        custom('user_id', { MinLength: '26', MaxLength: '26' }),
        custom('tenant_id', { MaxLength: '32' }),
        custom('role', { MaxLength: '32' }),
        custom('scope', { MaxLength: '80' }),
        { Name: 'email', Required: false, Mutable: true },
        { Name: 'preferred_username', Required: false, Mutable: true },
      ]),
    );
    expect(schema).toHaveLength(6);
    expect(props.Policies).toEqual({
      PasswordPolicy: {
        MinimumLength: 10,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireUppercase: false,
        RequireSymbols: false,
      },
    });
    expect(props.AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }],
    });
    // The default feature plan (Essentials) for a new pool.
    expect(props.UserPoolTier).toBeUndefined();
  });

  it('gives the console a public code-flow client whose users cannot write their own claims', () => {
    const [, client] = only(template.findResources('AWS::Cognito::UserPoolClient'));
    const props = client.Properties;
    expect(props).toMatchObject({
      UserPoolId: { Ref: stack.getLogicalId(stack.userPool.node.defaultChild as never) },
      // No secret: a browser app cannot keep one, so the code flow runs with PKCE.
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: [
        {
          'Fn::Join': ['', ['https://', distributionDomain(stack), '/auth/callback']],
        },
        'https://console.example.cn/auth/callback',
      ],
      LogoutURLs: [distributionOrigin(stack), 'https://console.example.cn'],
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      IdTokenValidity: 60,
      RefreshTokenValidity: 30 * 24 * 60,
      TokenValidityUnits: { IdToken: 'minutes', RefreshToken: 'minutes' },
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    expect(props.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(props.AllowedOAuthScopes).toHaveLength(3);
    expect(props.ReadAttributes).toEqual(expect.arrayContaining(claimAttributes));
    // Not empty: Cognito lets users write every standard attribute when the list is.
    const writable = props.WriteAttributes as string[];
    expect(writable.length).toBeGreaterThan(0);
    for (const attribute of [...claimAttributes, 'email', 'preferred_username']) {
      expect(writable).not.toContain(attribute);
    }
    expect(writable.filter((name) => name.startsWith('custom:'))).toEqual([]);
  });

  it('hosts the sign-in UI on a Cognito domain named after the stage', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      UserPoolId: { Ref: stack.getLogicalId(stack.userPool.node.defaultChild as never) },
      Domain: { 'Fn::Join': ['', ['civicgrid-dev-', { Ref: 'AWS::AccountId' }]] },
    });
    const custom = synth('dev', { authDomainPrefix: 'civicgrid-dev-acme' }).template;
    custom.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'civicgrid-dev-acme' });
    for (const authDomainPrefix of ['CivicGrid', 'my-aws-login', 'civicgrid-cognito', '-civicgrid', 'a_b']) {
      expect(() => synth('dev', { authDomainPrefix })).toThrow(/Invalid auth domain prefix/);
    }
    expect(() => synth('amazon')).toThrow(/Invalid auth domain prefix/);
  });

  it('tells the API which pool and client issue its tokens', () => {
    const poolId = stack.getLogicalId(stack.userPool.node.defaultChild as never);
    const clientId = stack.getLogicalId(stack.userPoolClient.node.defaultChild as never);
    const functions = template.toJSON().Resources;
    const variablesOf = (fn: CivicGridStack['apiFunction']) =>
      functions[stack.getLogicalId(fn.node.defaultChild as never)].Properties.Environment.Variables;

    expect(variablesOf(stack.apiFunction)).toMatchObject({
      USER_POOL_ID: { Ref: poolId },
      USER_POOL_CLIENT_ID: { Ref: clientId },
    });
    expect(variablesOf(stack.eventsWorker)).not.toHaveProperty('USER_POOL_ID');
  });

  it('lets only the API manage logins, and only in this pool', () => {
    const poolArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.userPool.node.defaultChild as never), 'Arn'] };
    const cognitoStatements = statementsOf(stack, template, stack.apiFunction).filter((statement) =>
      JSON.stringify(statement.Action).includes('cognito-idp:'),
    );
    expect(cognitoStatements).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminDeleteUser',
          'cognito-idp:AdminDisableUser',
          'cognito-idp:AdminEnableUser',
          'cognito-idp:AdminGetUser',
          'cognito-idp:AdminSetUserPassword',
          'cognito-idp:AdminUpdateUserAttributes',
          'cognito-idp:AdminUserGlobalSignOut',
        ],
        Resource: poolArn,
      },
    ]);
    expect(JSON.stringify(statementsOf(stack, template, stack.eventsWorker))).not.toContain('cognito-idp');
  });

  it('alarms on any message in a dead-letter queue', () => {
    for (const { deadLetterQueue } of Object.values(stack.queues)) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: {
              'Fn::GetAtt': [stack.getLogicalId(deadLetterQueue.node.defaultChild as never), 'QueueName'],
            },
          },
        ],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    }
  });

  it('alarms on function errors and throttles, the API 5xx rate and table throttles, all to one topic', () => {
    const topicRef = { Ref: stack.getLogicalId(stack.monitoring.topic.node.defaultChild as never) };
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
    for (const fn of [stack.apiFunction, stack.eventsWorker, stack.deadlineSweeper]) {
      for (const MetricName of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName,
          Namespace: 'AWS/Lambda',
          Dimensions: [
            { Name: 'FunctionName', Value: { Ref: stack.getLogicalId(fn.node.defaultChild as never) } },
          ],
          Threshold: 0,
        });
      }
    }
    const metricsOf = (alarm: Resource) => JSON.stringify(alarm.Properties.Metrics ?? []);
    const api5xx = alarms.filter((alarm) => metricsOf(alarm).includes('5xx'));
    expect(api5xx).toHaveLength(1);
    expect(api5xx[0]?.Properties).toMatchObject({ Threshold: 1, EvaluationPeriods: 2 });
    const tableThrottles = alarms.filter((alarm) => metricsOf(alarm).includes('ThrottleEvents'));
    expect(tableThrottles).toHaveLength(1);
    expect(metricsOf(tableThrottles[0] as Resource)).toContain('ReadThrottleEvents');
    expect(metricsOf(tableThrottles[0] as Resource)).toContain('WriteThrottleEvents');
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    // Dead letters (one per queue), errors and throttles (two per function), API 5xx, table throttles.
    expect(alarms).toHaveLength(Object.keys(queueDefinitions).length + 2 * 4 + 2);
  });

  it('outputs the API URL, table name, attachments bucket, queue URLs and what the console needs to sign in', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs).toEqual(expect.arrayContaining(['ApiUrl', 'TableName', 'EventsQueueUrl']));
    template.hasOutput('AttachmentsBucketName', {
      Value: { Ref: stack.getLogicalId(stack.attachmentsBucket.node.defaultChild as never) },
    });
    expect(outputs).toContain('EventsDeadLetterQueueUrl');
    const domainId = stack.getLogicalId(stack.userPoolDomain.node.defaultChild as never);
    template.hasOutput('UserPoolId', {
      Value: { Ref: stack.getLogicalId(stack.userPool.node.defaultChild as never) },
    });
    template.hasOutput('UserPoolClientId', {
      Value: { Ref: stack.getLogicalId(stack.userPoolClient.node.defaultChild as never) },
    });
    template.hasOutput('AuthDomain', {
      Value: {
        'Fn::Join': [
          '',
          ['https://', { Ref: domainId }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com'],
        ],
      },
    });
  });

  it('destroys data outside prod', () => {
    const [, table] = only(template.findResources('AWS::DynamoDB::GlobalTable'));
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.Replicas).toEqual([
      expect.objectContaining({ DeletionProtectionEnabled: false }),
    ]);
    const [, pool] = only(template.findResources('AWS::Cognito::UserPool'));
    expect(pool.DeletionPolicy).toBe('Delete');
    expect(pool.Properties.DeletionProtection).toBe('INACTIVE');
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket')) as Resource[]) {
      expect(bucket.DeletionPolicy).toBe('Delete');
    }
    // Attachments, console and logs.
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 3);
  });

  it('retains and protects data in prod', () => {
    const prod = synth('prod').template;
    const [, table] = only(prod.findResources('AWS::DynamoDB::GlobalTable'));
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties.Replicas).toEqual([expect.objectContaining({ DeletionProtectionEnabled: true })]);
    for (const queue of Object.values(prod.findResources('AWS::SQS::Queue')) as Resource[]) {
      expect(queue.DeletionPolicy).toBe('Retain');
    }
    const [, pool] = only(prod.findResources('AWS::Cognito::UserPool'));
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    const buckets = Object.values(prod.findResources('AWS::S3::Bucket')) as Resource[];
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) expect(bucket.DeletionPolicy).toBe('Retain');
    // No auto-delete of objects, so neither its custom resource nor its handler exists in prod:
    // only the four functions, CDK's console deployment handler and its reader of the map key.
    prod.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    expect(Object.keys(prod.findResources('AWS::Lambda::Function'))).toHaveLength(6);
  });

  it('sweeps case deadlines every five minutes on EventBridge Scheduler, without retries', () => {
    const sweeperId = stack.getLogicalId(stack.deadlineSweeper.node.defaultChild as never);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [sweeperId, 'Arn'] },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }),
      }),
    });
    const statements = JSON.stringify(statementsOf(stack, template, stack.deadlineSweeper));
    expect(statements).not.toContain('cognito-idp:');
    expect(statements).not.toContain('s3:');
  });
});
