/**
 * What Lambda bundles get for `import … from 'zod'` (esbuild alias, see lambdaAliases in
 * ../lib/bundling.ts): zod's own root module, minus the 50-odd error-message locales.
 *
 * `@hono/zod-openapi` passes the whole `z` namespace around as a value, so esbuild cannot
 * tree-shake `z.locales` and every locale (about 190 KB, a third of the API bundle's zod) ends up
 * in each function. No code of ours, nor any bundled dependency, selects a locale: zod's default
 * English messages (`locales/en`, which zod's schemas import directly) are all that runs. This
 * module mirrors zod's index.js (`export *` of classic/external plus `z` and `default`), and
 * ./zod-classic.ts replaces `locales` by a namespace holding only `en`.
 * infra/lib/bundling.test.ts checks the exports match real zod's, so a zod upgrade that adds or
 * moves an export fails the test instead of silently missing in Lambda.
 */
import * as z from './zod-classic';

export * from './zod-classic';
export { z, z as default };
