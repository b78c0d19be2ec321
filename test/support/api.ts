import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppOptions, caseReactions, createApp, createLogger } from '@civicgrid/api';
import { LocalAttachmentStore } from '@civicgrid/attachments';
import { createTokenVerifier, LocalIssuer, LocalUserDirectory, type UserDirectory } from '@civicgrid/auth';
import { ManualClock, type Principal } from '@civicgrid/domain';
import { CONSOLE_AUDIENCE, DEMO_PASSWORD, LOCAL_ISSUER, seedDemo } from '@civicgrid/local';
import { InProcessEventPublisher, InProcessQueue, QueuePoller } from '@civicgrid/queue';
import { RateLimiter } from '@civicgrid/storage';
import { createEventsWorker } from '@civicgrid/workers';
import { createTestStore } from './store';

/**
 * The API wired as the embedded platform wires it, on a fresh table and a manual clock.
 * The caller's address comes from `x-test-ip` so tests can play several clients.
 */
export const createTestApi = async (
  options: { app?: AppOptions; seed?: boolean; wrapDirectory?: (local: UserDirectory) => UserDirectory } = {},
) => {
  const clock = new ManualClock('2026-05-01T00:00:00Z');
  const store = await createTestStore(clock);
  // A key file lets a test make a second issuer with the same key (e.g. for another audience).
  const keyFile = join(mkdtempSync(join(tmpdir(), 'civicgrid-issuer-')), 'key.json');
  const issuer = await LocalIssuer.create({
    issuer: LOCAL_ISSUER,
    audience: CONSOLE_AUDIENCE,
    clock,
    keyFile,
  });
  const directory = new LocalUserDirectory(store);
  const attachments = new LocalAttachmentStore({
    directory: mkdtempSync(join(tmpdir(), 'civicgrid-attachments-')),
    baseUrl: '',
    secret: 'test-attachment-secret-0123456789',
    clock,
  });
  const queue = new InProcessQueue({ name: 'events', fifo: true, visibilityTimeoutMs: 60_000, clock });
  const logger = createLogger('test');
  logger.setLogLevel('SILENT');
  const app = createApp(
    {
      store,
      events: new InProcessEventPublisher(queue),
      clock,
      logger,
      auth: {
        verify: createTokenVerifier({
          issuer: LOCAL_ISSUER,
          audience: CONSOLE_AUDIENCE,
          keys: issuer.keys(),
          clock,
        }),
        directory: options.wrapDirectory ? options.wrapDirectory(directory) : directory,
        local: { issuer, directory },
      },
      rateLimiter: new RateLimiter(store.client, store.tableName, clock),
      attachments: { store: attachments, local: attachments },
      clientIp: (c) => c.req.header('x-test-ip') ?? '127.0.0.1',
    },
    options.app,
  );
  if (options.seed ?? true) await seedDemo(app, store, directory, clock);

  const call = async (
    method: string,
    path: string,
    init: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await app.request(path, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  const login = async (tenantId: string, username: string, password = DEMO_PASSWORD) => {
    const response = await call('POST', '/v1/auth/login', { body: { tenantId, username, password } });
    if (response.status !== 200)
      throw new Error(`login ${tenantId}/${username}: ${JSON.stringify(response.body)}`);
    return response.body.token as string;
  };

  /** A point that locates into `grid` (found by probing its bounding box through the API). */
  const pointInGrid = async (grid: string, token?: string): Promise<[number, number]> => {
    const unit = (await call('GET', `/v1/org/units/${grid}`, { token })).body;
    const ring = unit.geometry.coordinates[0] as [number, number][];
    const [x0, x1] = [Math.min(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[0]))];
    const [y0, y1] = [Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[1]))];
    for (let i = 1; i < 20; i += 1) {
      for (let j = 1; j < 20; j += 1) {
        const candidate: [number, number] = [x0 + ((x1 - x0) * i) / 20, y0 + ((y1 - y0) * j) / 20];
        const located = await call('GET', `/v1/org/locate?lon=${candidate[0]}&lat=${candidate[1]}`, {
          token,
        });
        if (located.body?.grid?.code === grid) return candidate;
      }
    }
    throw new Error(`no point found in ${grid}`);
  };

  /** Runs the events worker, as the platform does, until the queue is empty: notices and reactions. */
  const drainEvents = () =>
    new QueuePoller(
      queue,
      createEventsWorker({
        store,
        logger,
        fifo: true,
        reactions: caseReactions({ store, clock, events: new InProcessEventPublisher(queue) }),
      }),
      { batchSize: 10 },
    ).drain();

  return {
    app,
    store,
    clock,
    attachments,
    issuer,
    keyFile,
    directory,
    queue,
    call,
    login,
    pointInGrid,
    drainEvents,
    sign: (p: Principal) => issuer.sign(p),
  };
};

export type TestApi = Awaited<ReturnType<typeof createTestApi>>;
