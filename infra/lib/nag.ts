import { type Stack, Token, Validations } from 'aws-cdk-lib';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';
import type { CivicGridStack } from './civicgrid-stack';

/** cdk-nag (AwsSolutions) findings the stack accepts on purpose: each with why, on the narrowest scope. */
export const acknowledgeNagFindings = (stack: CivicGridStack): void => {
  const ack = (scope: IConstruct, id: string, reason: string) =>
    Validations.of(scope).acknowledge({ id, reason });
  // Findings of wildcard rules are acknowledged one by one, naming the exact action or resource.
  const arnOf = (scope: IConstruct) => `<${stack.getLogicalId(scope.node.defaultChild as never)}.Arn>`;
  for (const route of stack.publicHttpRoutes) {
    ack(route.route, 'AwsSolutions-APIG4', `Public by design: ${route.why}.`);
  }

  ack(
    stack.userPool,
    'AwsSolutions-COG1',
    'Length over composition (NIST SP 800-63B): at least 10 characters with lower case and digits; ' +
      'symbol and upper-case rules push field staff to predictable passwords.',
  );
  ack(
    stack.userPool,
    'AwsSolutions-COG2',
    'MFA is optional (TOTP): grid workers sign in on shared field devices without a second factor; ' +
      'staff accounts exist only when an admin creates them. A city can turn MFA on for its pool.',
  );
  ack(
    stack.userPool,
    'AwsSolutions-COG8',
    'Essentials feature plan: threat protection (Plus) is billed per active user; a city whose policy ' +
      'demands it sets the pool to Plus.',
  );

  const distribution = stack.consoleHosting.distribution;
  ack(
    distribution,
    'AwsSolutions-CFR1',
    'No geo restriction: the console is for a city’s staff, who travel; a country block belongs in a WAF rule.',
  );
  if (!stack.webAclArn) {
    ack(
      distribution,
      'AwsSolutions-CFR2',
      'A CloudFront web ACL must be created in us-east-1, outside this stack; pass it with -c webAclArn=… .',
    );
  }
  ack(
    stack.originVerifySecret,
    'AwsSolutions-SMG4',
    'Not a credential: a token CloudFront adds so the API may trust CloudFront-Viewer-Address. Replacing the ' +
      'secret and deploying rotates it on both sides at once.',
  );
  ack(
    distribution,
    'AwsSolutions-CFR4',
    'Served on the default *.cloudfront.net certificate, whose TLS policy CloudFront sets; a custom domain ' +
      'with an ACM certificate and TLSv1.2_2021 is the README’s production step.',
  );

  ack(
    stack.tenantAccess.role,
    `AwsSolutions-IAM5[Resource::${arnOf(stack.table)}/index/*]`,
    'index/* lets a tenant session query the table’s GSIs; the dynamodb:LeadingKeys condition confines those ' +
      'queries to the tenant’s own index partitions exactly as it does table reads.',
  );

  ack(
    stack.apiFunction,
    `AwsSolutions-IAM5[Resource::${arnOf(stack.attachmentsBucket)}/*]`,
    'The API presigns uploads and downloads of any attachment key (`<tenant>/attachments/...`, chosen by ' +
      'the API); object-level Put/Get only, no delete, no bucket-level rights.',
  );

  // CDK's own singleton that copies the built console into its bucket.
  // Nag names the asset bucket by the stack's environment when the synth knows it.
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    const reason =
      'CDK’s BucketDeployment handler, which copies the built console from the CDK asset bucket into ' +
      'the console bucket and invalidates the distribution: its runtime and rights are CDK’s.';
    const findings = [
      'AwsSolutions-L1',
      basicExecutionRole,
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
        (action) => `AwsSolutions-IAM5[Action::${action}]`,
      ),
      `AwsSolutions-IAM5[Resource::${arnOf(stack.consoleHosting.bucket)}/*]`,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*]`,
      // cloudfront:CreateInvalidation and GetInvalidation, which have no resource-level permissions.
      'AwsSolutions-IAM5[Resource::*]',
    ];
    for (const id of findings) ack(child, id, reason);
  }

  // CDK's AwsCustomResource singleton that reads the console's map key value (geo:DescribeKey on that
  // key only, granted in its own policy); its role's one managed policy writes its logs.
  if (stack.mapStyle) {
    const reader = stack.node.tryFindChild(
      `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    );
    if (reader) {
      ack(
        reader,
        basicExecutionRole,
        'CDK’s AwsCustomResource handler reading the map key’s value at deploy time: ' +
          'AWSLambdaBasicExecutionRole only writes its own CloudWatch logs.',
      );
    }
  }
};

const basicExecutionRole =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** What every function of the stack accepts, acknowledged as each is made. */
export const acknowledgeFunctionFindings = (fn: IConstruct): void => {
  const ack = (id: string, reason: string) => Validations.of(fn).acknowledge({ id, reason });
  ack(basicExecutionRole, 'AWSLambdaBasicExecutionRole only writes the function’s own CloudWatch logs.');
  ack(
    'AwsSolutions-IAM5[Resource::*]',
    'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
  );
  ack(
    'AwsSolutions-L1',
    'Node.js 22 is the runtime the code is built and tested for (esbuild target node22); move with the repo.',
  );
};

/** Scheduler may invoke the function and its versions; the version wildcard is the target's own. */
export const acknowledgeScheduleInvoke = (stack: Stack, functionLogicalId: string): void =>
  Validations.of(stack).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
    reason: 'EventBridge Scheduler’s role may invoke this one function, any of its versions.',
  });
