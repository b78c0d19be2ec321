import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import type { ApiEnv } from '../http/env';

/**
 * Swagger UI's own files are served by the API so /docs works with no network access
 * (the embedded default) and without a CDN. On Lambda the bundle copies them to SWAGGER_UI_DIR.
 */
const assets = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

const assetDir = () =>
  process.env.SWAGGER_UI_DIR ??
  dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = (specUrl: string) => `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CivicGrid API 参考 / API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: '#ui', deepLinking: true });</script>
</body>
</html>`;

export const registerReferenceUi = (app: Hono<ApiEnv>, specUrl: string) => {
  const cache = new Map<string, string>();
  app.get('/docs', (c) => c.html(page(specUrl)));
  app.get('/docs/:asset{swagger-ui\\.css|swagger-ui-bundle\\.js}', async (c) => {
    const name = c.req.param('asset') as keyof typeof assets;
    let body = cache.get(name);
    if (body === undefined) {
      body = await readFile(join(assetDir(), name), 'utf8');
      cache.set(name, body);
    }
    return c.body(body, 200, {
      'content-type': assets[name],
      'cache-control': 'public, max-age=86400',
    });
  });
};
