import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localClientConfig } from '@civicgrid/local';
import { createDocumentClient, Store } from '@civicgrid/storage';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'civicgrid-dev-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  api: string;
  dynamoEndpoint: string;
  dynamoPid: number;
}

/** Runs `pnpm dev`'s entry point exactly as the script does, on a free port and a temp data dir. */
const startDev = (): Promise<Started> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['packages/local/src/dev.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', CIVICGRID_DATA_DIR: dataDir, LOG_LEVEL: 'WARN' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`dev did not start:\n${output}`)), 45_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes('CivicGrid is running'));
      if (line) {
        clearTimeout(timer);
        const started = JSON.parse(line) as { api: string; dynamoEndpoint: string; dynamoPid: number };
        resolvePromise({ child, ...started });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`dev exited early with ${code}:\n${output}`)));
  });

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const interrupt = async (started: Started) => {
  const exited = new Promise<number | null>((r) => started.child.once('exit', (code) => r(code)));
  started.child.kill('SIGINT');
  return exited;
};

describe('pnpm dev', () => {
  it('serves the API, keeps data across restarts and leaves no Java process behind on Ctrl-C', async () => {
    const first = await startDev();
    expect((await fetch(`${first.api}/health`)).status).toBe(200);
    const store = new Store(createDocumentClient(localClientConfig(first.dynamoEndpoint)), 'civicgrid');
    await store
      .tenant('demo-city')
      .create({ key: { pk: ['probe'], sk: ['meta'] }, entity: 'probe', data: { n: 1 } });
    store.client.destroy();

    expect(await interrupt(first)).toBe(0);
    expect(isAlive(first.dynamoPid)).toBe(false);

    const second = await startDev();
    const again = new Store(createDocumentClient(localClientConfig(second.dynamoEndpoint)), 'civicgrid');
    const kept = await again.tenant('demo-city').get<{ n: number }>({ pk: ['probe'], sk: ['meta'] });
    again.client.destroy();
    expect(kept?.data).toEqual({ n: 1 });
    expect(await interrupt(second)).toBe(0);
    expect(isAlive(second.dynamoPid)).toBe(false);
  }, 120_000);
});
