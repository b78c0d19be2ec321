import type { Category, DutyEntry } from '@civicgrid/domain';

// Test support only: categories and duty entries for the duty catalog's tests.

/** A standard event category of 市容环境 with the given code (E01-01) and minor name. */
export const category = (code: string, minor: string): Category => ({
  code,
  type: 'event',
  major: { code: code.slice(1, 3), name: { zh: '市容环境', en: 'Environment' } },
  minor: { code: code.slice(4), name: { zh: minor, en: minor } },
  source: 'standard',
});

/** A street-level duty entry handled in 3 working days, with `extra` fields. */
export const entry = (
  categoryCode: string,
  departmentId: string,
  extra: Partial<DutyEntry> = {},
): DutyEntry => ({
  categoryCode,
  departmentId,
  level: 'street',
  handlingLimit: { amount: 3, unit: 'days', basis: 'working' },
  ...extra,
});
