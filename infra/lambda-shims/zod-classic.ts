/**
 * zod's `v4/classic/external` (what `z` is), line for line, except that `locales` holds only
 * English, the locale zod itself configures by default (see ./zod.ts for why). The paths are
 * relative (not `zod/…`) so the `zod` alias does not apply to them, and go through infra's own
 * zod dependency, pinned to the workspace's version so both resolve to one copy. zod 4.6.7.
 */

export * from '../node_modules/zod/v4/classic/checks.js';
export * as coerce from '../node_modules/zod/v4/classic/coerce.js';
export * from '../node_modules/zod/v4/classic/compat.js';
export { deepPartial } from '../node_modules/zod/v4/classic/deep-partial.js';
export * from '../node_modules/zod/v4/classic/errors.js';
export { fromJSONSchema } from '../node_modules/zod/v4/classic/from-json-schema.js';
// Types and values both, from one module — re-exporting the types from core would collide.
export { input, output } from '../node_modules/zod/v4/classic/in-out.js';
export * as iso from '../node_modules/zod/v4/classic/iso.js';
// iso must be exported from top-level https://github.com/colinhacks/zod/issues/4491
export {
  ZodISODate,
  ZodISODateTime,
  ZodISODuration,
  ZodISOTime,
} from '../node_modules/zod/v4/classic/iso.js';
export * from '../node_modules/zod/v4/classic/parse.js';
export * from '../node_modules/zod/v4/classic/schemas.js';
export { toJSONSchema } from '../node_modules/zod/v4/core/json-schema-processors.js';
export * as core from './zod-core';
export {
  $brand,
  $input,
  $output,
  clone,
  compile,
  config,
  flattenError,
  formatError,
  getDiscriminatedOption,
  globalRegistry,
  INVALID,
  memoizer,
  NEVER,
  prettifyError,
  regexes,
  registry,
  TimePrecision,
  toZod,
  treeifyError,
  util,
  withParser,
  ZodCompileAsyncError,
  ZodCompileUnsupportedError,
} from './zod-core';
export * as locales from './zod-locales';
