import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORIGIN_VERIFY_HEADER } from '@civicgrid/aws-runtime';
import { partitionKey } from '@civicgrid/storage';
import { App, Duration, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaEntries } from './bundling';
import { CivicGridStack, type CivicGridStackProps, placeIndexActions, publicRoutes } from './civicgrid-stack';
import { apiPrefixStripSource, consoleContentSecurityPolicy, spaRewriteSource } from './console-hosting';
import { tenantDataActions } from './tenant-access';

/** The policy variable IAM replaces with the session's tenant tag. */
const tenantTagVariable = ['$', '{aws:PrincipalTag/tenant}'].join('');

const emptyDir = mkdtempSync(join(tmpdir(), 'civicgrid-no-console-'));

const synth = (
  stage: string,
  props: Partial<CivicGridStackProps> = {},
  configure?: (s: CivicGridStack) => void,
) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CivicGridStack(app, `Test-${stage}`, {
    stage,
    consoleOrigin: 'https://console.example.cn',
    consoleAssetDir: emptyDir,
    ...props,
  });
  configure?.(stack);
  return { app, stack, template: Template.fromStack(stack) };
};

type Resource = { Type: string; Properties: Record<string, unknown> };
const idOf = (stack: CivicGridStack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

/** IAM's StringLike: `*` any run of characters, `?` exactly one. */
const globMatches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  ).test(value);

describe('tenant isolation at the IAM level', () => {
  let stack: CivicGridStack;
  let template: Template;
  let role: Resource;
  beforeAll(() => {
    ({ stack, template } = synth('dev'));
    role = template.toJSON().Resources[idOf(stack, stack.tenantAccess.role)];
  });

  const tenantStatement = () =>
    (role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])[0]
      ?.PolicyDocument.Statement[0] as Record<string, unknown>;

  it('lets a tenant session touch only items whose partition keys begin with its tag', () => {
    const statement = tenantStatement();
    expect(statement.Action).toEqual([...tenantDataActions]);
    expect(statement.Action).not.toContain('dynamodb:Scan');
    const tableArn = { 'Fn::GetAtt': [idOf(stack, stack.table), 'Arn'] };
    expect(statement.Resource).toEqual([tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }]);
    expect(statement.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${tenantTagVariable}#*`] },
    });
  });

  it('matches the keys storage builds for the tenant, and no other tenant’s, on the table and its indexes', () => {
    const condition = tenantStatement().Condition as {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': string[] };
    };
    const [pattern] = condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'];
    const forTenant = (tenant: string) => (pattern as string).replace(tenantTagVariable, tenant);
    // Table keys and GSI keys are both built by partitionKey(); the registry lives under `platform`.
    for (const key of [partitionKey('demo-city', ['case', '01J']), partitionKey('demo-city', ['tenants'])]) {
      expect(globMatches(forTenant('demo-city'), key)).toBe(true);
      expect(globMatches(forTenant('demo'), key)).toBe(false);
      expect(globMatches(forTenant('other-city'), key)).toBe(false);
    }
    expect(globMatches(forTenant('platform'), partitionKey('platform', ['tenant', 'demo-city']))).toBe(true);
    expect(globMatches('public#*', partitionKey('public', ['ratelimit', 'login-ip', 'ab']))).toBe(true);
    expect(globMatches('public#*', partitionKey('demo-city', ['ratelimit', 'x']))).toBe(false);
  });

  it('is assumed only by the functions, only with a tenant session tag and no other', () => {
    const trust = role.Properties.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] };
    const roleArnOf = (fn: CivicGridStack['apiFunction']) => ({
      'Fn::GetAtt': [stack.getLogicalId(fn.role?.node.defaultChild as never), 'Arn'],
    });
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: {
          AWS: expect.arrayContaining(
            [stack.apiFunction, stack.eventsWorker, stack.deadlineSweeper].map(roleArnOf),
          ),
        },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringLike: { 'aws:RequestTag/tenant': '?*' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant'] },
        },
      },
    ]);
    expect((trust.Statement[0] as { Principal: { AWS: unknown[] } }).Principal.AWS).toHaveLength(4);
  });

  it('tells every function which role to assume, and traces it', () => {
    const resources = template.toJSON().Resources;
    for (const fn of [stack.apiFunction, stack.eventsWorker, stack.deadlineSweeper]) {
      const props = (resources[idOf(stack, fn)] as Resource).Properties;
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect((props.Environment as { Variables: Record<string, unknown> }).Variables.TENANT_ROLE_ARN).toEqual(
        {
          'Fn::GetAtt': [idOf(stack, stack.tenantAccess.role), 'Arn'],
        },
      );
    }
  });
});

describe('function environment per stage', () => {
  it('maps stack traces through source maps outside prod only, where cold starts matter more', () => {
    const variablesOf = (template: Template) =>
      (Object.values(template.findResources('AWS::Lambda::Function')) as Resource[])
        .map(
          (fn) =>
            (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables,
        )
        .filter((variables) => variables?.TABLE_NAME);
    const dev = variablesOf(synth('dev').template);
    const prod = variablesOf(synth('prod').template);
    expect(dev).toHaveLength(4);
    expect(prod).toHaveLength(4);
    for (const variables of dev) expect(variables?.NODE_OPTIONS).toBe('--enable-source-maps');
    for (const variables of prod) expect(variables?.NODE_OPTIONS).toBeUndefined();
  });
});

describe('HTTP API authorization', () => {
  let stack: CivicGridStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synth('dev'));
  });

  it('verifies Cognito tokens of the console client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: idOf(stack, stack.userPoolClient) }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/',
              { Ref: idOf(stack, stack.userPool) },
            ],
          ],
        },
      },
    });
  });

  it('puts the authorizer on every route but the listed public ones', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Resource[];
    const [authorizerId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));
    const publicKeys = publicRoutes.flatMap((route) =>
      route.methods.map((method) => `${method} ${route.path}`),
    );
    const byKey = Object.fromEntries(
      routes.map((route) => [route.Properties.RouteKey as string, route.Properties]),
    );
    expect(Object.keys(byKey).sort()).toEqual(['$default', ...publicKeys].sort());
    expect(byKey.$default).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    for (const key of publicKeys) expect(byKey[key]?.AuthorizationType, key).toBe('NONE');
    expect(publicKeys).toEqual(
      expect.arrayContaining(['ANY /open311/{proxy+}', 'ANY /v1/public/{proxy+}', 'GET /health']),
    );
    // Sign-in is Cognito's on AWS: the API's own login stays behind the authorizer.
    expect(publicKeys.some((key) => key.includes('/v1/auth/login'))).toBe(false);
  });

  it('writes access logs of every request to a log group', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context.requestId'),
      },
    });
  });
});

describe('console hosting', () => {
  let stack: CivicGridStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synth('dev'));
  });

  it('keeps the console in a private, encrypted, versioned bucket that only CloudFront reads', () => {
    const bucket = template.toJSON().Resources[idOf(stack, stack.consoleHosting.bucket)] as Resource;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: idOf(stack, stack.consoleHosting.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: {
              StringEquals: { 'AWS:SourceArn': Match.anyValue() },
            },
          }),
        ]),
      },
    });
  });

  it('serves the console over HTTPS with security headers, and the API under /api uncached', () => {
    const [, distribution] = Object.entries(template.findResources('AWS::CloudFront::Distribution'))[0] as [
      string,
      Resource,
    ];
    // biome-ignore lint/suspicious/noExplicitAny: a CloudFormation document, read field by field
    const config = distribution.Properties.DistributionConfig as Record<string, any>;
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
    const [api] = config.CacheBehaviors;
    expect(api).toMatchObject({
      PathPattern: '/api/*',
      ViewerProtocolPolicy: 'https-only',
      // AWS's managed CachingDisabled and AllViewerExceptHostHeader.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['POST', 'PUT', 'PATCH', 'DELETE']));
    const apiOrigin = config.Origins.find((o: { Id: string }) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(apiOrigin.DomainName)).toContain('.execute-api.');
    // No custom error responses: they would turn the API's own 404s into the console's HTML.
    expect(config.CustomErrorResponses).toBeUndefined();
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31536000, Override: true }),
          ContentSecurityPolicy: { ContentSecurityPolicy: consoleContentSecurityPolicy, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      },
    });
    expect(consoleContentSecurityPolicy).toContain("frame-ancestors 'none'");
  });

  it('proves to the API that requests came through the distribution, with a secret only both know', () => {
    const secretId = idOf(stack, stack.originVerifySecret);
    const reference = {
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
    };
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution')) as [
      Resource,
    ];
    const { Origins: origins } = distribution.Properties.DistributionConfig as {
      Origins: Record<string, unknown>[];
    };
    const apiOrigin = origins.find((origin) => JSON.stringify(origin.DomainName).includes('.execute-api.'));
    expect(apiOrigin?.OriginCustomHeaders).toEqual([
      { HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: reference },
    ]);
    const api = template.toJSON().Resources[idOf(stack, stack.apiFunction)] as Resource;
    expect(
      (api.Properties.Environment as { Variables: Record<string, unknown> }).Variables
        .CLOUDFRONT_ORIGIN_SECRET,
    ).toEqual(reference);
  });

  it('puts a given WAF web ACL in front of the console and /api', () => {
    const webAclArn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/civicgrid/0123';
    synth('dev', { webAclArn }).template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: webAclArn }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: Match.absent() }),
    });
  });

  it('routes console paths to index.html, leaves files alone, and strips /api for the API', () => {
    const run = (source: string, uri: string) =>
      (new Function(`${source}; return handler;`)() as (e: unknown) => { uri: string })({
        request: { uri },
      }).uri;
    expect(run(spaRewriteSource, '/cases/01J')).toBe('/index.html');
    expect(run(spaRewriteSource, '/')).toBe('/index.html');
    expect(run(spaRewriteSource, '/assets/index-abc123.js')).toBe('/assets/index-abc123.js');
    expect(run(spaRewriteSource, '/config.json')).toBe('/config.json');
    expect(run(apiPrefixStripSource, '/api/v1/cases')).toBe('/v1/cases');
    expect(run(apiPrefixStripSource, '/api/health')).toBe('/health');
    expect(run(apiPrefixStripSource, '/api')).toBe('/');
  });

  it('deploys a placeholder page and the runtime config when the console is not built', () => {
    expect(stack.consoleHosting.built).toBe(false);
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: idOf(stack, stack.consoleHosting.bucket) },
      DistributionPaths: ['/*'],
      Prune: false,
    });
    // config.json names the pool and client, resolved at deploy time.
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment')) as Resource[];
    const markers = JSON.stringify(deployment?.Properties.SourceMarkers);
    expect(markers).toContain(idOf(stack, stack.userPool));
    expect(markers).toContain(idOf(stack, stack.userPoolClient));
  });

  it('deploys the built console, hashed assets cached for good, the rest revalidated', () => {
    const dist = mkdtempSync(join(tmpdir(), 'civicgrid-console-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><script src="/assets/index-abc.js"></script>');
    writeFileSync(join(dist, 'assets/index-abc.js'), 'console.log(1)');
    const built = synth('dev', { consoleAssetDir: dist });
    expect(built.stack.consoleHosting.built).toBe(true);
    built.template.resourceCountIs('Custom::CDKBucketDeployment', 2);
    built.template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: 'assets/',
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    built.template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionPaths: ['/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
  });
});

describe('geocoding', () => {
  it('gives the API one search action on its own place index', () => {
    const { stack, template } = synth('dev');
    template.hasResourceProperties('AWS::Location::PlaceIndex', {
      IndexName: 'civicgrid-dev',
      DataSource: 'Esri',
      DataSourceConfiguration: { IntendedUse: 'SingleUse' },
    });
    const geo = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap(
        (p) =>
          ((p as Resource).Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      )
      .filter((statement) => JSON.stringify(statement.Action).includes('geo:'));
    // Besides the API's search, only the deploy-time reader of the console's map key (map-style.test.ts).
    expect(geo).toEqual([
      {
        Effect: 'Allow',
        Action: 'geo:DescribeKey',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(stack.mapStyle?.key as never), 'KeyArn'] },
      },
      {
        Effect: 'Allow',
        Action: placeIndexActions[0],
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(stack.placeIndex), 'IndexArn'] },
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ PLACE_INDEX_NAME: { Ref: stack.getLogicalId(stack.placeIndex) } }),
      },
    });
  });
});

describe('scheduled functions', () => {
  it('runs the nightly reconciliation with tenant access and alarms, in China’s night', () => {
    const { stack, template } = synth('dev');
    const fn = stack.reconciler;
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 2 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [idOf(stack, fn), 'Arn'] },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      }),
    });
    const role = template.toJSON().Resources[idOf(stack, stack.tenantAccess.role)] as Resource;
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(
      stack.getLogicalId(fn.role?.node.defaultChild as never),
    );
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf(stack, fn) } }],
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  const nag = (
    stage: string,
    configure?: (s: CivicGridStack) => void,
    props: Partial<CivicGridStackProps> = {},
  ) => {
    const outdir = mkdtempSync(join(tmpdir(), 'civicgrid-nag-'));
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new CivicGridStack(app, `Nag-${stage}`, {
      stage,
      consoleOrigin: 'https://console.example.cn',
      consoleAssetDir: emptyDir,
      ...props,
    });
    configure?.(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    try {
      app.synth();
    } catch (error) {
      // The report lists each unacknowledged finding with the construct it is on.
      const report = readFileSync(join(outdir, 'validation-report.json'), 'utf8');
      throw new Error(`${String(error)}\n${report.slice(0, 4000)}`);
    }
  };

  it('finds nothing unacknowledged in dev or prod', () => {
    expect(() => nag('dev')).not.toThrow();
    expect(() => nag('prod')).not.toThrow();
  });

  it('stays clean with a web ACL on the distribution', () => {
    expect(() =>
      nag('prod', undefined, { webAclArn: 'arn:aws:wafv2:us-east-1:1:global/webacl/x/1' }),
    ).not.toThrow();
  });

  it('stays clean when a scheduled function is added', () => {
    expect(() =>
      nag('dev', (s) =>
        s.addScheduledFunction('ExampleJob', {
          entry: lambdaEntries.deadlineSweeper,
          description: 'Another job',
          schedule: ScheduleExpression.rate(Duration.days(1)),
        }),
      ),
    ).not.toThrow();
  });

  it('still finds what is not acknowledged', () => {
    expect(() =>
      nag('dev', (s) => {
        // A route without the authorizer that nobody listed as public.
        s.httpApi.addRoutes({
          path: '/v1/oops',
          integration: new HttpLambdaIntegration('Oops', s.apiFunction),
        });
      }),
    ).toThrow(/AwsSolutions-APIG4/);
  });
});
