import { delimiter, join } from 'node:path';
import { App, Tags } from 'aws-cdk-lib';
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

const consoleOrigin: string | undefined = app.node.tryGetContext('consoleOrigin');
// Production must name its console explicitly rather than inherit the local dev server's origin.
if (stage === 'prod' && !consoleOrigin) {
  throw new Error('Stage "prod" needs the console origin: -c consoleOrigin=https://…');
}

new CivicGridStack(app, `CivicGrid-${stage}`, {
  stage,
  consoleOrigin: consoleOrigin ?? 'http://localhost:5173',
  logLevel: app.node.tryGetContext('logLevel'),
  // Cognito hosted-UI domain prefixes are global per region; override if the default is taken.
  authDomainPrefix: app.node.tryGetContext('authDomainPrefix'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: `CivicGrid (${stage}): API, table, queues, workers, user pool and attachments bucket`,
});

Tags.of(app).add('project', 'civicgrid');
Tags.of(app).add('stage', stage);
