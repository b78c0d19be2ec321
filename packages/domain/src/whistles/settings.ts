import { z } from 'zod';
import { type WhistleKind, whistleKinds } from './whistle';

const Minutes = z
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 60);

/**
 * A tenant's whistle rules. Defaults follow common practice: emergency whistles are answered
 * within half an hour, key ones within two hours, routine ones within a day.
 */
export const WhistleSettingsSchema = z.strictObject({
  reportWithinMinutes: z
    .strictObject({ emergency: Minutes, key: Minutes, routine: Minutes })
    .default({ emergency: 30, key: 120, routine: 1440 }),
  /** Kinds that cannot wait for the district's review: blown at filing, reviewed after. */
  blownAtOnce: z
    .array(z.enum(whistleKinds))
    .max(whistleKinds.length)
    .refine((kinds) => new Set(kinds).size === kinds.length, 'kinds must be distinct')
    .default(['emergency']),
  /** A check-in farther than this from the whistle's point is recorded as off-site. */
  offSiteRadiusM: z.number().int().min(10).max(20_000).default(500),
});

export type WhistleSettingsInput = z.input<typeof WhistleSettingsSchema>;
export type WhistleSettings = z.output<typeof WhistleSettingsSchema>;

export const defaultWhistleSettings: WhistleSettings = WhistleSettingsSchema.parse({});

export const isBlownAtOnce = (settings: WhistleSettings, kind: WhistleKind): boolean =>
  settings.blownAtOnce.includes(kind);
