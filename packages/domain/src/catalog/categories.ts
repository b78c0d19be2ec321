import { z } from 'zod';

/**
 * Case categories follow the national digital city management standard (CJ/T 214, now
 * GB/T 30428.2): every category is a component (部件, a physical thing such as a manhole cover)
 * or an event (事件, a condition or behaviour such as exposed garbage), filed under a major class
 * (大类, two digits) and a minor class (小类, two more digits).
 *
 * Our code is the type letter, the major and the minor number: 'C01-01' is component 01-01,
 * 'E05-04' event 05-04. The letter is needed because the standard numbers components and events
 * independently, so '0101' alone is both a component and an event.
 *
 * Local extensions take numbers from 50 up (a major class 50-99, or a minor class 50-99 inside a
 * standard major class) so that they stay clear of the standard's own low numbers.
 */
export const categoryTypes = ['component', 'event'] as const;
export const CategoryTypeSchema = z.enum(categoryTypes);
export type CategoryType = z.infer<typeof CategoryTypeSchema>;

export const categoryTypePrefix: Record<CategoryType, 'C' | 'E'> = { component: 'C', event: 'E' };

export const CategoryCodeSchema = z
  .string()
  .regex(/^[CE]\d{2}-\d{2}$/, "a category code such as 'C01-01' or 'E05-04'");
export type CategoryCode = z.infer<typeof CategoryCodeSchema>;

export const ClassNumberSchema = z.string().regex(/^\d{2}$/, 'a two-digit class number');

/** Grid workers and citizens read Chinese; the English name serves the console and exports. */
export const BilingualNameSchema = z.strictObject({
  zh: z.string().trim().min(1).max(40),
  en: z.string().trim().min(1).max(80),
});
export type BilingualName = z.infer<typeof BilingualNameSchema>;

export const CategoryClassSchema = z.strictObject({
  code: ClassNumberSchema,
  name: BilingualNameSchema,
});
export type CategoryClass = z.infer<typeof CategoryClassSchema>;

export const categoryCodeOf = (type: CategoryType, majorCode: string, minorCode: string): string =>
  `${categoryTypePrefix[type]}${majorCode}-${minorCode}`;

export const CategorySchema = z
  .strictObject({
    code: CategoryCodeSchema,
    type: CategoryTypeSchema,
    major: CategoryClassSchema,
    minor: CategoryClassSchema,
    /** 'standard' when taken from the national standard, 'local' for a city's own class. */
    source: z.enum(['standard', 'local']),
    description: z.string().trim().min(1).max(500).optional(),
  })
  .refine(
    (category) => category.code === categoryCodeOf(category.type, category.major.code, category.minor.code),
    {
      message: 'the code must be the type letter, the major and the minor class number',
      path: ['code'],
    },
  );
export type Category = z.infer<typeof CategorySchema>;

/**
 * A tenant either supplies a whole category (adds a new one, or replaces the default with the same
 * code, e.g. to rename it) or removes a default one. Removal is explicit so that a missing
 * override can never silently drop a category.
 */
export const DisabledCategorySchema = z.strictObject({
  code: CategoryCodeSchema,
  disabled: z.literal(true),
});

export const TenantCategoryOverrideSchema = z.union([CategorySchema, DisabledCategorySchema]);
export type TenantCategoryOverride = z.infer<typeof TenantCategoryOverrideSchema>;

export const isCategoryRemoval = (
  override: TenantCategoryOverride,
): override is z.infer<typeof DisabledCategorySchema> => 'disabled' in override;
