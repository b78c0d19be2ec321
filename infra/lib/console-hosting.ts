import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** Where the API is reached through the console's own origin, so the console needs no CORS. */
export const consoleApiPath = '/api';

/**
 * Sent with every console response. The console talks to its own origin (`/api`), Cognito's
 * hosted UI and token endpoint, and S3 for presigned uploads; maps load tiles over https.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self' https:",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self' https:",
  "object-src 'none'",
].join('; ');

/**
 * SPA routing without error-page rewriting: a path without a file extension is a console route
 * and gets index.html. (Rewriting 403/404 responses instead would also turn the API's own 404s,
 * served by the same distribution under /api, into HTML.)
 */
export const spaRewriteSource = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/** The API routes at the root (`/v1/...`, `/health`); the console calls them under /api. */
export const apiPrefixStripSource = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.substring(${consoleApiPath.length}) || '/';
  return request;
}`;

const placeholderHtml = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>CivicGrid 网格治理平台</title></head>
<body>
<h1>CivicGrid 控制台尚未构建 · The console has not been built</h1>
<p>此部署未包含控制台。请运行 <code>pnpm --filter web build</code> 后重新部署。</p>
<p>This deployment holds no console: build it (<code>web/dist</code>) and deploy the stack again.
The API is available under <code>${consoleApiPath}/</code>.</p>
</body>
</html>
`;

export interface ConsoleHostingProps {
  /** The built console; deployed when it holds an index.html, otherwise a placeholder page is. */
  readonly assetDir: string;
  readonly api: IHttpApi;
  readonly removalPolicy: RemovalPolicy;
  readonly autoDeleteObjects: boolean;
  readonly logBucket: IBucket;
  /** Headers CloudFront adds to every request it passes to the API (the origin-verify secret). */
  readonly apiOriginHeaders?: Record<string, string>;
  /** A WAF web ACL (scope CLOUDFRONT, made in us-east-1) to put in front of the console and /api. */
  readonly webAclArn?: string;
}

/**
 * The web console: a private bucket behind CloudFront (origin access control), the built console
 * deployed by the stack, security headers on every response, and the API under `/api`.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution domain>`, where users open the console. */
  readonly origin: string;
  /** Whether a built console was found; false means the placeholder page is deployed. */
  readonly built: boolean;
  private readonly assetDir: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ id: 'ExpireOldVersions', noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'CivicGrid console: HSTS, CSP, no framing, no sniffing',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    const stack = Stack.of(this);
    const apiOrigin = new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      customHeaders: props.apiOriginHeaders,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'CivicGrid console',
      webAclId: props.webAclArn,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'console-distribution/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new CloudFrontFunction(this, 'SpaRewrite', {
              code: FunctionCode.fromInline(spaRewriteSource),
              runtime: FunctionRuntime.JS_2_0,
              comment: 'Serve index.html for console routes',
            }),
          },
        ],
      },
      additionalBehaviors: {
        [`${consoleApiPath}/*`]: {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // AWS's managed policy: every viewer header but Host (API Gateway routes by its own host
          // name), every query string and cookie, and CloudFront-Viewer-Address, the caller's IP.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
          functionAssociations: [
            {
              eventType: FunctionEventType.VIEWER_REQUEST,
              function: new CloudFrontFunction(this, 'ApiPrefixStrip', {
                code: FunctionCode.fromInline(apiPrefixStripSource),
                runtime: FunctionRuntime.JS_2_0,
                comment: `Strip ${consoleApiPath} before requests reach the API`,
              }),
            },
          ],
        },
      },
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    this.assetDir = props.assetDir;
    this.built = existsSync(join(props.assetDir, 'index.html'));
  }

  /**
   * Deploys the console with `/config.json`, which the console reads at start: the values are
   * resolved at deploy time, so they may name resources of the same stack (pool, client, URLs).
   */
  deploy(runtimeConfig: Record<string, unknown>): void {
    const hashedAssets = join(this.assetDir, 'assets');
    // Vite names files under assets/ by their content hash: browsers may keep them for good.
    const assets =
      this.built && existsSync(hashedAssets)
        ? new BucketDeployment(this, 'DeployHashedAssets', {
            sources: [Source.asset(hashedAssets)],
            destinationBucket: this.bucket,
            destinationKeyPrefix: 'assets/',
            cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
            // Old hashed files stay, for browsers still on the previous index.html.
            prune: false,
          })
        : undefined;
    // index.html, config.json and other unhashed files: revalidated on every load.
    const entry = new BucketDeployment(this, 'DeployConsole', {
      sources: [
        this.built
          ? Source.asset(this.assetDir, { exclude: ['assets', 'assets/**', 'config.json'] })
          : Source.data('index.html', placeholderHtml),
        Source.jsonData('config.json', runtimeConfig),
      ],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.noCache()],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    // The new index.html only after the assets it names.
    if (assets) entry.node.addDependency(assets);
  }
}
