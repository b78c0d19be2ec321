import { Lazy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  ArnPrincipal,
  type CfnRole,
  type IRole,
  PolicyDocument,
  PolicyStatement,
  Role,
} from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The session tag naming the tenant; TENANT_SESSION_TAG in @civicgrid/aws-runtime. */
export const tenantSessionTag = 'tenant';

/**
 * What a tenant session may do to its own items: single-item reads and writes, queries, and the
 * item writes and condition checks TransactWriteItems is authorized as. No Scan: a scan names no
 * partition key, so `dynamodb:LeadingKeys` could not confine it.
 */
export const tenantDataActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** Every partition key, of the table and of each index, begins with `<tenantId>#` (see keys.ts). */
export const leadingKeysOf = (tenant: string) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${tenant}#*`] },
});

export interface TenantAccessProps {
  readonly table: ITableV2;
}

/**
 * The role every tenant's DynamoDB calls run under. A function assumes it per tenant with the
 * session tag `tenant=<id>`; the policy lets that session touch only items whose partition key
 * (of the table or of the index queried) begins with `<id>#`. The functions' own roles have no
 * access to tenant items at all, so a key built for the wrong tenant is refused by DynamoDB.
 */
export class TenantAccess extends Construct {
  readonly role: Role;
  private readonly principals: IRole[] = [];

  constructor(scope: Construct, id: string, props: TenantAccessProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      description: 'Per-tenant DynamoDB access: assumed with the session tag tenant=<tenant id>',
      // Replaced below by the trust policy of all the roles granted through grantAssume.
      assumedBy: new ArnPrincipal('arn:aws:iam::000000000000:root'),
      inlinePolicies: {
        TenantItems: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: [...tenantDataActions],
              resources: [props.table.tableArn, `${props.table.tableArn}/index/*`],
              conditions: leadingKeysOf(`\${aws:PrincipalTag/${tenantSessionTag}}`),
            }),
          ],
        }),
      },
    });
    // One trust statement for all the functions: they must tag the session with the tenant and
    // with nothing else, so no session exists without a tenant for the policy to read.
    (this.role.node.defaultChild as CfnRole).assumeRolePolicyDocument = Lazy.any({
      produce: () =>
        new PolicyDocument({
          statements: [
            new PolicyStatement({
              principals: this.principals.map((role) => new ArnPrincipal(role.roleArn)),
              actions: ['sts:AssumeRole', 'sts:TagSession'],
              conditions: {
                StringLike: { [`aws:RequestTag/${tenantSessionTag}`]: '?*' },
                'ForAllValues:StringEquals': { 'aws:TagKeys': [tenantSessionTag] },
              },
            }),
          ],
        }),
    });
    this.node.addValidation({
      validate: () => (this.principals.length ? [] : ['No role may assume the tenant-access role']),
    });
  }

  /** Lets a function's role assume the tenant role, for whichever tenant it tags the session with. */
  grantAssume(role: IRole): void {
    this.principals.push(role);
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [this.role.roleArn] }),
    );
  }
}
