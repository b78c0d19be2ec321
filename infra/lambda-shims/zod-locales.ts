/** The one zod locale Lambda bundles keep: English, zod's default (see ./zod.ts). */
export { default as en } from '../node_modules/zod/v4/locales/en.js';
