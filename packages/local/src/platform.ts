import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  activeTenantIds,
  caseReactions,
  createApp,
  createLogger,
  deadlineSweepOptions,
} from '@civicgrid/api';
import { LocalAttachmentStore } from '@civicgrid/attachments';
import { createTokenVerifier, LocalIssuer, LocalUserDirectory } from '@civicgrid/auth';
import { systemClock } from '@civicgrid/domain';
import {
  InProcessEventPublisher,
  InProcessQueue,
  type QueueName,
  QueuePoller,
  queueDefinitions,
  type SqsHandler,
} from '@civicgrid/queue';
import { createDocumentClient, RateLimiter, Store } from '@civicgrid/storage';
import { createEventsWorker, reconcileTenants, sweepDeadlines } from '@civicgrid/workers';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { withConsole } from './console';
import { type DynamoLocal, localClientConfig, startDynamoLocal } from './dynamo-local';
import { seedHistoryOnce } from './history-seed';
import { seedDemo } from './seed';
import { ensureTable } from './table-setup';

export interface LocalPlatformOptions {
  /** API port; 0 picks a free one. */
  port?: number;
  hostname?: string;
  /** Keep DynamoDB data on disk here; in memory when absent. */
  dataDir?: string;
  /** Use an already running DynamoDB (Local) instead of starting one. */
  dynamoEndpoint?: string;
  tableName?: string;
  pollIntervalMs?: number;
  /** How often the deadline sweeper runs. */
  sweepIntervalMs?: number;
  /** Create the demo users of every role (idempotent). */
  seed?: boolean;
  /** How often the analytics counters are reconciled with the event logs (the nightly job on AWS). */
  reconcileIntervalMs?: number;
  /**
   * Generate months of cases and whistles for the demo city once, in the background, after the
   * seed (see generate-history.ts); `CIVICGRID_HISTORY_CASES` sets it for `pnpm dev`.
   */
  history?: { cases: number; whistles?: number };
  /** Serve the built console (`web/dist`) at `/`, beside the API. */
  consoleDir?: string;
}

/** Tokens of the embedded issuer name it and the console as their audience, as Cognito's do. */
export const LOCAL_ISSUER = 'urn:civicgrid:local';
export const CONSOLE_AUDIENCE = 'civicgrid-console';

export interface LocalQueue {
  queue: InProcessQueue;
  deadLetterQueue: InProcessQueue;
  poller: QueuePoller;
}

export interface LocalPlatform {
  url: string;
  dynamoEndpoint: string;
  /** The Java process of DynamoDB Local, when this platform started it. */
  dynamoPid?: number;
  store: Store;
  issuer: LocalIssuer;
  queues: Record<QueueName, LocalQueue>;
  stop(): Promise<void>;
}

/** One in-process queue per shared definition, with its dead-letter queue, as the CDK stack makes in SQS. */
const createLocalQueue = (
  name: QueueName,
  /** Given the queue, so a handler may publish follow-up events to it. */
  handlerFor: (queue: InProcessQueue) => SqsHandler,
  options: { pollIntervalMs: number; logger: Logger },
): LocalQueue => {
  const definition = queueDefinitions[name];
  const deadLetterQueue = new InProcessQueue({
    name: `${name}-dlq`,
    fifo: definition.fifo,
    visibilityTimeoutMs: definition.visibilityTimeoutSeconds * 1000,
  });
  const queue = new InProcessQueue({
    name,
    fifo: definition.fifo,
    visibilityTimeoutMs: definition.visibilityTimeoutSeconds * 1000,
    maxReceiveCount: definition.maxReceiveCount,
    deadLetterQueue,
  });
  const poller = new QueuePoller(queue, handlerFor(queue), {
    batchSize: definition.batchSize,
    reportBatchItemFailures: definition.reportBatchItemFailures,
    onError: (error) =>
      options.logger.error('batch failed; its records will be retried', { queue: name, error }),
  });
  poller.start(options.pollIntervalMs);
  return { queue, deadLetterQueue, poller };
};

/**
 * The whole product on one machine: DynamoDB Local, the same handlers the CDK stack wires
 * to SQS fed by in-process queues, and the API on a Node HTTP server.
 */
export const startLocalPlatform = async (options: LocalPlatformOptions = {}): Promise<LocalPlatform> => {
  const logger = createLogger('civicgrid-local');
  const dynamo: DynamoLocal | undefined = options.dynamoEndpoint
    ? undefined
    : await startDynamoLocal({ dataDir: options.dataDir });
  const dynamoEndpoint = options.dynamoEndpoint ?? (dynamo as DynamoLocal).endpoint;
  const clientConfig = localClientConfig(dynamoEndpoint);
  const tableName = options.tableName ?? 'civicgrid';
  const admin = new DynamoDBClient(clientConfig);
  await ensureTable(admin, tableName);
  admin.destroy();

  const store = new Store(createDocumentClient(clientConfig), tableName, systemClock);
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const queues = {
    events: createLocalQueue(
      'events',
      (queue) =>
        createEventsWorker({
          store,
          logger,
          fifo: queueDefinitions.events.fifo,
          reactions: caseReactions({ store, clock: systemClock, events: new InProcessEventPublisher(queue) }),
        }),
      { pollIntervalMs, logger },
    ),
  } satisfies Record<QueueName, LocalQueue>;

  const issuer = await LocalIssuer.create({
    issuer: LOCAL_ISSUER,
    audience: CONSOLE_AUDIENCE,
    // Beside the data, so that tokens survive a restart exactly when the users do.
    ...(options.dataDir ? { keyFile: join(options.dataDir, '..', 'issuer-key.json') } : {}),
  });
  const directory = new LocalUserDirectory(store);
  const attachments = new LocalAttachmentStore({
    directory: options.dataDir
      ? join(options.dataDir, '..', 'attachments')
      : mkdtempSync(join(tmpdir(), 'civicgrid-attachments-')),
    // Relative URLs: clients resolve them against the API they called, whatever its port.
    baseUrl: '',
    secret: randomBytes(32),
  });

  const app = createApp({
    store,
    events: new InProcessEventPublisher(queues.events.queue),
    clock: systemClock,
    logger,
    auth: {
      verify: createTokenVerifier({ issuer: LOCAL_ISSUER, audience: CONSOLE_AUDIENCE, keys: issuer.keys() }),
      directory,
      local: { issuer, directory },
    },
    rateLimiter: new RateLimiter(store.client, tableName),
    attachments: { store: attachments, local: attachments },
    // Requests the platform makes to itself (the demo seed) have no socket.
    clientIp: (c) => (c.env?.incoming ? getConnInfo(c).remote.address : undefined) ?? 'in-process',
  });
  if (options.seed ?? true) await seedDemo(app, store, directory, undefined, { rosters: true });

  // The scheduled job EventBridge runs on AWS, here on a timer.
  const sweeper = setInterval(() => {
    activeTenantIds(store)
      .then((tenantIds) =>
        sweepDeadlines(
          deadlineSweepOptions({
            store,
            clock: systemClock,
            events: new InProcessEventPublisher(queues.events.queue),
          }),
          tenantIds,
        ),
      )
      .catch((error) => logger.error('deadline sweep failed', { error }));
  }, options.sweepIntervalMs ?? 60_000);
  sweeper.unref();
  // The nightly reconciliation EventBridge runs on AWS, here on a timer.
  const reconciler = setInterval(
    () => {
      activeTenantIds(store)
        .then((tenantIds) => reconcileTenants({ store, clock: systemClock, logger }, tenantIds))
        .catch((error) => logger.error('analytics reconciliation failed', { error }));
    },
    options.reconcileIntervalMs ?? 24 * 60 * 60_000,
  );
  reconciler.unref();
  const history = options.history ?? historyFromEnv();
  // Not awaited: a long generation goes on while the API serves; stopping abandons it.
  if (history && (options.seed ?? true)) {
    seedHistoryOnce(store, history, logger, attachments).catch((error) =>
      logger.error('history generation failed', { error }),
    );
  }
  const server = await new Promise<Server>((resolve) => {
    const started = serve(
      {
        fetch: options.consoleDir ? withConsole(app.fetch, options.consoleDir) : app.fetch,
        port: options.port ?? 3000,
        hostname: options.hostname ?? '127.0.0.1',
      },
      () => resolve(started as Server),
    );
  });
  const { address, port } = server.address() as AddressInfo;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(sweeper);
      clearInterval(reconciler);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(Object.values(queues).map((q) => q.poller.stop()));
      store.client.destroy();
      await dynamo?.stop();
    })();
    return stopping;
  };
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    dynamoEndpoint,
    dynamoPid: dynamo?.pid,
    store,
    issuer,
    queues,
    stop,
  };
};

const historyFromEnv = () => {
  const cases = Number(process.env.CIVICGRID_HISTORY_CASES ?? 0);
  const whistles = Number(process.env.CIVICGRID_HISTORY_WHISTLES ?? Math.round(cases / 20));
  return cases > 0 ? { cases, whistles } : undefined;
};
