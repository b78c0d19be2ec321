import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** Paths that stay the API's, whatever the console's files hold. */
const apiPath = /^\/(v1|health|docs|openapi\.json|\.well-known)(\/|$)/;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/**
 * Serves the built console (`web/dist`) at `/` beside the API, as CloudFront does in front of
 * the bucket and the HTTP API: API paths go to the app; a file that exists is sent; any other
 * GET answers `index.html`, so that the console's own routes survive a reload.
 */
export const withConsole = (apiFetch: Fetch, consoleDir: string): Fetch => {
  const root = resolve(consoleDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`the console is not built: ${join(root, 'index.html')} is missing (run pnpm build:web)`);
  }
  const send = async (file: string, immutable: boolean) =>
    new Response(await readFile(file), {
      headers: {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
      },
    });
  return async (request, env) => {
    const { pathname } = new URL(request.url);
    if (apiPath.test(pathname) || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return apiFetch(request, env);
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const file = normalize(join(root, decoded));
    if (file.startsWith(root + sep)) {
      const found = await stat(file).catch(() => undefined);
      if (found?.isFile()) return send(file, pathname.startsWith('/assets/'));
    }
    // A missing asset is a 404, not the page: a stale tab asking for an old bundle should fail clearly.
    if (pathname.startsWith('/assets/')) return new Response('Not found', { status: 404 });
    return send(join(root, 'index.html'), false);
  };
};
