import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CivicGridStack, type CivicGridStackProps } from './civicgrid-stack';
import { mapKeyActions } from './map-style';

const emptyDir = mkdtempSync(join(tmpdir(), 'civicgrid-no-console-'));

const synth = (props: Partial<CivicGridStackProps> = {}) => {
  const outdir = mkdtempSync(join(tmpdir(), 'civicgrid-map-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CivicGridStack(app, 'Test-map', {
    stage: 'dev',
    consoleOrigin: 'https://console.example.cn',
    consoleAssetDir: emptyDir,
    ...props,
  });
  return { app, stack, template: Template.fromStack(stack), outdir };
};

type Resource = { Type: string; Properties: Record<string, unknown> };

/** The `config.json` the console deployment uploads, as staged in the cloud assembly (with markers). */
const stagedConfig = (outdir: string): Record<string, unknown> => {
  for (const dir of readdirSync(outdir).filter(
    (name) => name.startsWith('asset.') && statSync(join(outdir, name)).isDirectory(),
  )) {
    const files = readdirSync(join(outdir, dir));
    if (files.includes('config.json'))
      return JSON.parse(readFileSync(join(outdir, dir, 'config.json'), 'utf8'));
  }
  throw new Error('no config.json staged');
};

describe('the console’s Amazon Location map style', () => {
  let stack: CivicGridStack;
  let template: Template;
  let outdir: string;
  let app: App;
  beforeAll(() => {
    ({ stack, template, outdir, app } = synth());
    app.synth();
  });

  it('makes an API key for map tiles only, from the console’s origins only', () => {
    const keys = Object.values(template.findResources('AWS::Location::APIKey')) as Resource[];
    expect(keys).toHaveLength(1);
    const restrictions = keys[0]?.Properties.Restrictions as Record<string, unknown>;
    expect(restrictions.AllowActions).toEqual([...mapKeyActions]);
    expect(mapKeyActions).toEqual(['geo-maps:GetTile']);
    expect(JSON.stringify(restrictions.AllowActions)).not.toMatch(/geo:|geo-places|geo-routes|\*/);
    expect(restrictions.AllowResources).toEqual([
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':geo-maps:', { Ref: 'AWS::Region' }, '::provider/default'],
        ],
      },
    ]);
    const distribution = stack.getLogicalId(stack.consoleHosting.distribution.node.defaultChild as never);
    expect(restrictions.AllowReferers).toEqual([
      { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/*']] },
      'https://console.example.cn/*',
    ]);
  });

  it('reads the key’s value at deploy time with DescribeKey on that key alone', () => {
    const key = stack.getLogicalId(stack.mapStyle?.key as never);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
    const reader = policies.filter((p) => JSON.stringify(p).includes('geo:DescribeKey'));
    expect(reader).toHaveLength(1);
    expect((reader[0] as Resource).Properties.PolicyDocument).toMatchObject({
      Statement: [
        { Action: 'geo:DescribeKey', Effect: 'Allow', Resource: { 'Fn::GetAtt': [key, 'KeyArn'] } },
      ],
    });
    const reads = Object.values(template.findResources('Custom::AWS')) as Resource[];
    expect(reads).toHaveLength(1);
    expect(JSON.stringify(reads[0]?.Properties.Create)).toContain('\\"action\\":\\"DescribeKey\\"');
  });

  it('writes the v2 style URL with the key into the console’s config.json', () => {
    const config = stagedConfig(outdir);
    const url = config.mapStyleUrl as string;
    expect(url).toMatch(
      /^https:\/\/maps\.geo\.<<marker:0xbaba:\d+>>\.amazonaws\.com\/v2\/styles\/Standard\/descriptor\?color-scheme=Light&key=<<marker:0xbaba:\d+>>$/,
    );
    const [, regionMarker, keyMarker] = /(<<marker:0xbaba:\d+>>).*(<<marker:0xbaba:\d+>>)/.exec(url) ?? [];
    const deployment = (
      Object.values(template.findResources('Custom::CDKBucketDeployment')) as Resource[]
    )[0];
    const markers = Object.assign(
      {},
      ...((deployment as Resource).Properties.SourceMarkers as object[]),
    ) as Record<string, unknown>;
    expect(markers[regionMarker as string]).toEqual({ Ref: 'AWS::Region' });
    const reader = stack.getLogicalId(
      stack.mapStyle?.keyValue.node.findChild('Resource').node.defaultChild as never,
    );
    expect(markers[keyMarker as string]).toEqual({ 'Fn::GetAtt': [reader, 'Key'] });
    // The rest of the config is still there.
    expect(config).toMatchObject({ redirectPath: '/auth/callback', apiBaseUrl: '/api' });
  });

  it('takes another style, or none: then no key and no style URL (the console keeps its blank map)', () => {
    const mono = synth({ mapStyle: 'Monochrome' });
    expect(mono.stack.resolve(mono.stack.mapStyle?.styleUrl)).toMatchObject({
      'Fn::Join': [
        '',
        expect.arrayContaining([expect.stringContaining('/v2/styles/Monochrome/descriptor?')]),
      ],
    });
    const none = synth({ mapStyle: 'none' });
    none.template.resourceCountIs('AWS::Location::APIKey', 0);
    none.template.resourceCountIs('Custom::AWS', 0);
    none.app.synth();
    expect(stagedConfig(none.outdir)).not.toHaveProperty('mapStyleUrl');
    expect(() => synth({ mapStyle: 'Dark' as never })).toThrow(/Unknown map style/);
  });
});
