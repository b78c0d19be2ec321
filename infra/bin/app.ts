import { delimiter, join } from 'node:path';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CivicGridStack, repoRoot } from '../lib/civicgrid-stack';

// NodejsFunction bundles with `pnpm exec esbuild` because the lockfile is pnpm's. Put the
// workspace's pinned pnpm (an infra devDependency) first on PATH, so a plain `npx cdk synth`
// works without a global pnpm and every synth uses the same pnpm.
process.env.PATH = [join(repoRoot, 'infra/node_modules/.bin'), process.env.PATH].join(delimiter);

const app = new App();

const stage: string = app.node.tryGetContext('stage') ?? 'dev';
// The stage ends up in resource names, which allow little more than this.
if (!/^[a-z][a-z0-9-]{0,20}$/.test(stage)) {
  throw new Error(`Invalid stage "${stage}": use lowercase letters, digits and dashes (e.g. -c stage=dev)`);
}

// The stack serves the console from its own CloudFront distribution. Another origin (a console
// developer's Vite server, a custom domain) is allowed only when named; dev names the Vite server.
const consoleOrigin: string | undefined =
  app.node.tryGetContext('consoleOrigin') ?? (stage === 'dev' ? 'http://localhost:5173' : undefined);

new CivicGridStack(app, `CivicGrid-${stage}`, {
  stage,
  consoleOrigin,
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  webAclArn: app.node.tryGetContext('webAclArn'),
  placeIndexDataSource: app.node.tryGetContext('placeIndexDataSource'),
  mapStyle: app.node.tryGetContext('mapStyle'),
  logLevel: app.node.tryGetContext('logLevel'),
  // Cognito hosted-UI domain prefixes are global per region; override if the default is taken.
  authDomainPrefix: app.node.tryGetContext('authDomainPrefix'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: `CivicGrid (${stage}): API, console, table, queues, workers, user pool and attachments`,
});

// AWS Solutions checks on every synth: an unacknowledged finding fails `cdk synth` and deploy.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

Tags.of(app).add('project', 'civicgrid');
Tags.of(app).add('stage', stage);
