import { z } from 'zod';
import { OrgCodeSchema } from '../identity/scope';

export const DepartmentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'department id: 2-40 lowercase letters, digits or dashes');

/**
 * A mobile number (optionally +86) or a landline with its area code and an optional extension.
 * The area code is required because a tenant's departments may sit in different cities' networks.
 */
const mobile = /^(?:\+?86[- ]?)?1[3-9]\d{9}$/;
const landline = /^0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?$/;

export const PhoneSchema = z
  .string()
  .trim()
  .refine((phone) => mobile.test(phone) || landline.test(phone), {
    message: 'a Chinese mobile (13812345678) or landline with area code (010-65123456)',
  });

export const ContactSchema = z.strictObject({
  name: z.string().trim().min(1).max(40),
  phone: PhoneSchema,
  role: z.string().trim().min(1).max(40).optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

/**
 * Dongcheng's "1+5+N": the street's city-management enforcement team (the "1") and five
 * departments with officers stationed in the street are resident; N further departments are on
 * call and report when the street blows the whistle. The "1" counts as resident here.
 */
export const DepartmentKindSchema = z.enum(['resident', 'on_call']);
export type DepartmentKind = z.infer<typeof DepartmentKindSchema>;

export const DepartmentSchema = z.strictObject({
  id: DepartmentIdSchema,
  code: z.string().trim().min(1).max(20),
  name: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/\p{Script=Han}/u, 'the name is written in Chinese'),
  nameEn: z.string().trim().min(1).max(80).optional(),
  kind: DepartmentKindSchema,
  contacts: z.array(ContactSchema).max(10),
  /** The org units this department serves; empty means the whole city. */
  servesOrgCodes: z.array(OrgCodeSchema).max(200),
});
export type Department = z.infer<typeof DepartmentSchema>;
