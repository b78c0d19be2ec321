import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { newId } from '@civicgrid/domain';
import { type LocalPlatform, startLocalPlatform } from '@civicgrid/local';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';

export const root = resolve(import.meta.dirname, '../..');
export const artifacts = join(root, 'test/browser/artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'civicgrid-demo';
/** A point in the demo city's first grid, 110101001001001, where the demo grid worker works. */
export const POINT: [number, number] = [116.395, 39.899];

const consoleInputs = [
  'web/src',
  'web/index.html',
  'web/vite.config.ts',
  'web/package.json',
  'packages/domain/src',
  'pnpm-lock.yaml',
];

/** A digest of everything the console build reads, so that an unchanged console is built once. */
const consoleDigest = (): string => {
  const hash = createHash('sha256');
  const add = (path: string) => {
    const full = join(root, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) add(join(path, entry));
      return;
    }
    hash.update(path).update('\0').update(readFileSync(full)).update('\0');
  };
  for (const input of consoleInputs) add(input);
  return hash.digest('hex').slice(0, 16);
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The console built into a folder named by the digest of its sources, so that a running `pnpm dev`
 * keeps its files and the browser test files of one run (in parallel workers) share one build:
 * the first takes a lock and builds, the others wait for the folder to appear.
 */
export const buildConsole = async (): Promise<string> => {
  const outDir = join(tmpdir(), `civicgrid-console-${consoleDigest()}`);
  const lock = `${outDir}.lock`;
  for (const deadline = Date.now() + 170_000; !existsSync(join(outDir, 'index.html')); await sleep(500)) {
    if (Date.now() > deadline) throw new Error(`The console build behind ${lock} did not finish`);
    try {
      mkdirSync(lock);
    } catch {
      // Another worker builds; a lock left by a killed run is taken over after five minutes.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000) {
        rmSync(lock, { recursive: true, force: true });
      }
      continue;
    }
    const staging = mkdtempSync(`${outDir}.build-`);
    try {
      execFileSync(
        join(root, 'web/node_modules/.bin/vite'),
        ['build', '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'],
        { cwd: join(root, 'web'), stdio: ['ignore', 'inherit', 'inherit'] },
      );
      renameSync(staging, outDir);
    } finally {
      rmSync(staging, { recursive: true, force: true });
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return outDir;
};

/** Debian's chromium, headless, with no calls home (this machine's network is closed). */
export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does) or set CHROMIUM_PATH.`,
    );
  }
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // MapLibre needs WebGL: software rendering without a GPU.
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
};

export const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 860 }, locale: 'zh-CN' };
/** A 360 px phone, as grid workers carry. */
export const phone: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};

/** Collects what the page writes to its console as errors, to fail on them. */
export const watchErrors = (page: Page): string[] => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
};

export interface SignedIn {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/** A fresh browser context signed in through the console's own form. */
export const signIn = async (
  browser: Browser,
  baseUrl: string,
  username: string,
  options: BrowserContextOptions = desktop,
  tenantId = 'demo-city',
): Promise<SignedIn> => {
  const context = await browser.newContext({ ...options, baseURL: baseUrl });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByLabel('城市（租户）').fill(tenantId);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  return { context, page, errors };
};

/** A one-pixel PNG, as a phone photo stand-in. */
export const photo = {
  name: 'photo.png',
  mimeType: 'image/png',
  buffer: Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
};

/** Opens the demo city's first grid, 110101001001001, from the map page's tree: its panel, with the 4+X staff shown. */
export const openFirstGrid = async (page: Page) => {
  await page.getByRole('button', { name: /东华门街道/ }).click();
  await page.getByRole('button', { name: /针织路东里社区/ }).click();
  await page.getByRole('button', { name: /第1网格 110101001001001/ }).click();
  const panel = page.getByTestId('unit-panel');
  await panel.getByRole('heading', { name: /第1网格/ }).waitFor();
  await panel.getByText('4+X').waitFor();
  return panel;
};

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

export interface ConsoleStack {
  platform: LocalPlatform;
  browser: Browser;
  /** Sessions a test opened: closed after the file, photographed when a test fails. */
  opened: SignedIn[];
}

/**
 * The stack a browser test file runs against: the console (built once per source digest), served by the embedded
 * platform on its own table, and one Chromium; all torn down after the file.
 */
export const useConsoleStack = (name: string): ConsoleStack => {
  const stack = { opened: [] as SignedIn[] } as ConsoleStack;
  beforeAll(async () => {
    // The API's request log would drown the test output.
    process.env.LOG_LEVEL ??= 'WARN';
    const consoleDir = await buildConsole();
    stack.platform = await startLocalPlatform({
      port: 0,
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `${name}-${newId().toLowerCase()}`,
      pollIntervalMs: 20,
      consoleDir,
    });
    stack.browser = await launchChromium();
  }, 180_000);
  // A failed step leaves a picture of every page still open, beside the other screenshots.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    for (const [index, session] of stack.opened.entries()) {
      if (!session.page.isClosed()) await shot(session.page, `${name}-failure-${index}`).catch(() => {});
    }
  });
  afterAll(async () => {
    for (const session of stack.opened) await session.context.close();
    await stack.browser?.close();
    await stack.platform?.stop();
  });
  return stack;
};

/** Waits on what the API or the page shows; generous, since CI runs the other test files beside this one. */
export const eventually = <T>(probe: () => T | Promise<T>, options: { timeout?: number } = {}) =>
  expect.poll(probe, { timeout: options.timeout ?? 30_000, interval: 200 });

/** The API's answer to signing in through `/v1/auth/login` (the demo city's password unless told). */
export const login = (stack: ConsoleStack, username: string, tenantId = 'demo-city', password = PASSWORD) =>
  fetch(`${stack.platform.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId, username, password }),
  });

/** A user's API token (the demo city's password unless told). */
export const tokenOf = async (
  stack: ConsoleStack,
  username: string,
  tenantId = 'demo-city',
  password = PASSWORD,
) => {
  const response = await login(stack, username, tenantId, password);
  if (!response.ok)
    throw new Error(`signing in ${tenantId}/${username}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
};

/**
 * The API as the demo city's users call it, for setting the scene the browser then acts on:
 * `await signInAll()` in the file's beforeAll, then `call(method, path, username, body?, headers?)`.
 */
export const apiAs = (stack: ConsoleStack, usernames: string[]) => {
  const tokens: Record<string, string> = {};
  const signInAll = async () => {
    for (const username of usernames) tokens[username] = await tokenOf(stack, username);
  };
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    who: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> => {
    const token = tokens[who];
    if (!token) throw new Error(`${who} is not signed in: name them to apiAs and await signInAll()`);
    const response = await fetch(`${stack.platform.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        authorization: `Bearer ${token}`,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} as ${who}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  /** Uploads a file as `who` the way the console does (a ticket, then a PUT); gives its attachment id. */
  const upload = async (
    who: string,
    file: { mimeType: string; buffer: Uint8Array; name?: string } = photo,
  ) => {
    const ticket = await call<{ attachmentId: string; uploadUrl: string; headers: Record<string, string> }>(
      'POST',
      '/v1/attachments',
      who,
      {
        contentType: file.mimeType,
        sizeBytes: file.buffer.length,
        ...(file.name === undefined ? {} : { fileName: file.name }),
      },
    );
    const put = await fetch(new URL(ticket.uploadUrl, stack.platform.url), {
      method: 'PUT',
      headers: ticket.headers,
      body: file.buffer,
    });
    if (put.status !== 204) throw new Error(`uploading as ${who}: ${put.status} ${await put.text()}`);
    return ticket.attachmentId;
  };
  /** A grid worker's patrol report at `POINT` (category E05-52, which the catalog routes); gives its case id. */
  const reportPatrol = async (
    description = '人行道上堆放建筑垃圾 Construction waste on the pavement',
    who = 'gridworker',
  ) =>
    (
      await call<{ caseId: string }>(
        'POST',
        '/v1/cases',
        who,
        { channel: 'patrol', description, categoryCode: 'E05-52', location: { point: POINT } },
        { 'idempotency-key': `patrol-${newId()}` },
      )
    ).caseId;
  return { tokens, signInAll, call, upload, reportPatrol };
};

/** axe-core's own build, evaluated in the page (not a script tag, which the console's CSP refuses). */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * The serious and critical findings of axe-core (WCAG 2.x A and AA, best practice) on the page as it is now,
 * within the elements `selector` matches if given.
 */
export const auditPage = async (page: Page, selector?: string): Promise<AxeFinding[]> => {
  type Axe = { run(...args: unknown[]): Promise<unknown> };
  // The page's globals (the test code is compiled without the DOM library).
  if (!(await page.evaluate(() => Boolean((globalThis as unknown as { axe?: Axe }).axe)))) {
    await page.evaluate(axeSource);
  }
  const violations = await page.evaluate(async (within) => {
    const { axe, document } = globalThis as unknown as { axe: Axe; document: unknown };
    const result = (await axe.run(within ?? document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    })) as { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  }, selector ?? null);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
};
