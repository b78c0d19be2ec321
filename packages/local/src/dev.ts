import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startLocalPlatform } from './platform';

/** `pnpm dev`: the product on this machine, data kept under .data/ across restarts. */
const platform = await startLocalPlatform({
  port: Number(process.env.PORT ?? 3000),
  dataDir: resolve(process.env.CIVICGRID_DATA_DIR ?? '.data/dynamodb'),
  // The root `dev` script builds it first; started on its own without a build, the API runs alone.
  ...(existsSync(resolve('web/dist/index.html')) ? { consoleDir: resolve('web/dist') } : {}),
});

console.log(
  JSON.stringify({
    message: 'CivicGrid is running',
    console: `${platform.url}/`,
    api: platform.url,
    docs: `${platform.url}/docs`,
    dynamoEndpoint: platform.dynamoEndpoint,
    dynamoPid: platform.dynamoPid,
  }),
);

const shutdown = async (signal: string) => {
  console.log(JSON.stringify({ message: 'shutting down', signal }));
  await platform.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
