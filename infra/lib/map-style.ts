import { Aws, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnAPIKey } from 'aws-cdk-lib/aws-location';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** Amazon Location's v2 map styles (the Maps API: no map resource, styles served by the service). */
export const mapStyles = ['Standard', 'Monochrome', 'Hybrid', 'Satellite'] as const;
export type MapStyleName = (typeof mapStyles)[number];

/**
 * The one action the console's key allows: MapLibre fetches vector tiles (`geo-maps:GetTile`). The style
 * descriptor, glyphs and sprites need no action; static map images (`geo-maps:GetStaticMap`) the console
 * never asks for, so the key does not allow them.
 */
export const mapKeyActions = ['geo-maps:GetTile'] as const;

export interface ConsoleMapStyleProps {
  readonly stage: string;
  /** The origins the console is served from (`https://…`, no path): the key works only for their pages. */
  readonly origins: readonly string[];
  /** @default 'Standard' */
  readonly style?: MapStyleName;
}

/**
 * The console's base map: an Amazon Location API key that allows map tiles only, from the console's own
 * pages only (the HTTP referer), and the v2 style URL carrying it, which the stack writes into the
 * console's `/config.json`. A browser app cannot sign requests without credentials of its own; an API
 * key restricted this way is what Amazon Location provides for that, and it is public by design (any
 * visitor of the console sees it), so it can show tiles and nothing else.
 *
 * CloudFormation does not return a key's value, so a custom resource reads it (`geo:DescribeKey` on this
 * key alone) at deploy time.
 */
export class ConsoleMapStyle extends Construct {
  readonly key: CfnAPIKey;
  readonly keyValue: AwsCustomResource;
  /** `https://maps.geo.<region>.amazonaws.com/v2/styles/<Style>/descriptor?key=…`, resolved at deploy time. */
  readonly styleUrl: string;

  constructor(scope: Construct, id: string, props: ConsoleMapStyleProps) {
    super(scope, id);
    const style = props.style ?? 'Standard';
    if (!mapStyles.includes(style)) {
      throw new Error(`Unknown map style "${style}": use one of ${mapStyles.join(', ')}`);
    }
    const region = Stack.of(this).region;
    this.key = new CfnAPIKey(this, 'Key', {
      keyName: `civicgrid-${props.stage}-console-maps`,
      description: `CivicGrid (${props.stage}): the console's map tiles, from the console's origins only`,
      // Tiles only, no other geo action: a key seen by every visitor cannot geocode on the city's bill.
      // It does not expire because the deployed config.json carries it; rotate it by renaming the key.
      noExpiry: true,
      restrictions: {
        allowActions: [...mapKeyActions],
        allowResources: [`arn:${Aws.PARTITION}:geo-maps:${region}::provider/default`],
        // Browsers send the page's origin as Referer to other origins (the distribution's
        // strict-origin-when-cross-origin policy), e.g. `https://d123.cloudfront.net/`.
        allowReferers: props.origins.map((origin) => `${origin.replace(/\/+$/, '')}/*`),
      },
    });
    this.keyValue = new AwsCustomResource(this, 'KeyValue', {
      onUpdate: {
        service: 'Location',
        action: 'DescribeKey',
        parameters: { KeyName: this.key.ref },
        physicalResourceId: PhysicalResourceId.of(this.key.attrKeyArn),
        outputPaths: ['Key'],
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['geo:DescribeKey'], resources: [this.key.attrKeyArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    const params = `color-scheme=Light&key=${this.keyValue.getResponseField('Key')}`;
    this.styleUrl = `https://maps.geo.${region}.amazonaws.com/v2/styles/${style}/descriptor?${params}`;
  }
}
