import { type OrgLevel, orgLevelOf, orgLevels } from '../identity/scope';

/**
 * The statistical division code's segments say what a unit is (GB/T 2260 and the 12-digit
 * rural-urban code): street segment 001–099 street office, 100–199 town, 200–399 township,
 * 400–599 other units; community segment 001–199 residents' committee, 200–399 village.
 * Grid sequences extend the community code (CJ/T 349 numbers merged grids from 601).
 */
export const childLevel: Record<OrgLevel, OrgLevel | undefined> = {
  district: 'street',
  street: 'community',
  community: 'grid',
  grid: undefined,
};

export type StreetKind = 'street_office' | 'town' | 'township' | 'other';
export type CommunityKind = 'community' | 'village';
export type GridKind = 'basic' | 'exclusive';

export const parentCodeOf = (code: string): string | undefined => {
  const level = orgLevelOf(code);
  return level === undefined || level === 'district' ? undefined : code.slice(0, code.length - 3);
};

const segment = (code: string) => Number(code.slice(-3));

export const streetKindOf = (code: string): StreetKind | undefined => {
  const n = segment(code);
  if (n >= 1 && n <= 99) return 'street_office';
  if (n >= 100 && n <= 199) return 'town';
  if (n >= 200 && n <= 399) return 'township';
  if (n >= 400 && n <= 599) return 'other';
  return undefined;
};

export const communityKindOf = (code: string): CommunityKind | undefined => {
  const n = segment(code);
  if (n >= 1 && n <= 199) return 'community';
  if (n >= 200 && n <= 399) return 'village';
  return undefined;
};

/** Why a code cannot stand at its place, or undefined when it can. */
export const codeProblem = (code: string, level: OrgLevel, parentCode?: string): string | undefined => {
  if (!/^\d+$/.test(code) || code.length !== orgLevels[level]) {
    return `a ${level} code has ${orgLevels[level]} digits`;
  }
  if (level === 'district') return parentCode === undefined ? undefined : 'a district has no parent unit';
  if (parentCode === undefined || parentCodeOf(code) !== parentCode) {
    return `a ${level} code extends its parent's code by 3 digits`;
  }
  if (segment(code) === 0) return 'a code segment of 000 names no unit';
  if (level === 'street' && !streetKindOf(code)) return 'street segments run 001–599';
  if (level === 'community' && !communityKindOf(code)) return 'community segments run 001–399';
  return undefined;
};
