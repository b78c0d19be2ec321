import {
  codeProblem,
  districtBelongsToTenant,
  OrgCodeSchema,
  type OrgLevel,
  orgLevelOf,
  orgLevels,
  parentCodeOf,
  ValidationError,
} from '@civicgrid/domain';
import {
  areaM2,
  checkHierarchy,
  type GeometryProblem,
  type GridGeometry,
  validateGeometry,
} from '@civicgrid/geo';
import type { StoredItem, TransactOp } from '@civicgrid/storage';
import { z } from 'zod';
import { auditOp } from '../audit/audit-log';
import { findTenant } from '../tenants/tenant-store';
import type { OrgContext } from './service';
import { bumpGeoVersion, type OrgUnit, unitItem, unitsOfLevel } from './unit-store';

const levels = Object.keys(orgLevels) as OrgLevel[];

export const FeaturePropertiesSchema = z.object({
  code: OrgCodeSchema,
  name: z.string().trim().min(1).max(60),
  level: z.enum(['district', 'street', 'community', 'grid']).optional(),
  kind: z.string().optional(),
  parentCode: z.string().optional(),
});

export interface ImportProblem extends Omit<GeometryProblem, 'code'> {
  code: GeometryProblem['code'] | 'invalid_feature' | 'invalid_code' | 'duplicate_code' | 'parent_not_found';
  featureIndex?: number;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  warnings: ImportProblem[];
}

interface Candidate {
  index: number;
  unit: Omit<OrgUnit, 'status' | 'history'>;
}

const sameUnit = (a: Omit<OrgUnit, 'status' | 'history'>, b: OrgUnit) =>
  a.name === b.name && a.gridKind === b.gridKind && JSON.stringify(a.geometry) === JSON.stringify(b.geometry);

/** Reads each feature on its own, reporting every problem rather than stopping at the first. */
const readFeatures = (features: readonly unknown[], problems: ImportProblem[]): Candidate[] => {
  const candidates: Candidate[] = [];
  const seen = new Map<string, number>();
  for (const [index, feature] of features.entries()) {
    const at = (code: ImportProblem['code'], message: string, featureCode?: string) =>
      problems.push({
        code,
        severity: 'error',
        message,
        featureIndex: index,
        ...(featureCode ? { featureCode } : {}),
      });
    const props = FeaturePropertiesSchema.safeParse((feature as { properties?: unknown })?.properties);
    if (!props.success || (feature as { type?: unknown })?.type !== 'Feature') {
      at('invalid_feature', `Feature ${index} needs type "Feature" and properties code and name.`);
      continue;
    }
    const { code, name, level: declared, kind, parentCode: declaredParent } = props.data;
    const level = orgLevelOf(code) as OrgLevel;
    const parentCode = parentCodeOf(code);
    const problem =
      (declared && declared !== level ? `level ${declared} does not match a ${level} code` : undefined) ??
      (declaredParent !== undefined && declaredParent !== parentCode
        ? `parent ${declaredParent} does not match`
        : undefined) ??
      codeProblem(code, level, parentCode) ??
      (level === 'grid' && kind !== undefined && kind !== 'basic' && kind !== 'exclusive'
        ? 'a grid is basic or exclusive'
        : undefined);
    if (problem) {
      at('invalid_code', `${code}: ${problem}.`, code);
      continue;
    }
    const first = seen.get(code);
    if (first !== undefined) {
      at('duplicate_code', `${code} also appears in feature ${first}.`, code);
      continue;
    }
    seen.set(code, index);
    const geometryInput = (feature as { geometry?: unknown }).geometry;
    let geometry: GridGeometry | undefined;
    if (geometryInput != null) {
      const checked = validateGeometry(geometryInput, code);
      problems.push(...checked.problems.map((p) => ({ ...p, featureIndex: index })));
      geometry = checked.geometry;
    }
    candidates.push({
      index,
      unit: {
        code,
        name,
        level,
        ...(parentCode ? { parentCode } : {}),
        ...(level === 'grid' ? { gridKind: kind === 'exclusive' ? 'exclusive' : 'basic' } : {}),
        ...(geometry ? { geometry, areaM2: Math.round(areaM2(geometry)) } : {}),
      },
    });
  }

  return candidates;
};

export interface ImportCheck {
  /** True when the import would be written; false when any problem is an error. */
  ok: boolean;
  created: number;
  updated: number;
  unchanged: number;
  /** Every problem, errors and warnings, each with its feature's index and a location when known. */
  problems: ImportProblem[];
}

/**
 * Checks an import as a whole (codes, parents, geometry, topology against what is already
 * there) and plans its writes, without writing anything.
 */
const planImport = async (ctx: OrgContext, features: readonly unknown[]) => {
  const problems: ImportProblem[] = [];
  const candidates = readFeatures(features, problems);

  const existing = new Map<string, StoredItem<OrgUnit>>();
  for (const level of levels) {
    for (const item of await unitsOfLevel(ctx.tenant, level)) existing.set(item.data.code, item);
  }
  const incoming = new Map(candidates.map((c) => [c.unit.code, c]));
  const tenant = await findTenant(ctx.store, ctx.tenant.tenantId);
  for (const { index, unit } of candidates) {
    if (unit.level === 'district') {
      if (!tenant || !districtBelongsToTenant(unit.code, tenant.data.divisionCode)) {
        problems.push({
          code: 'invalid_code',
          severity: 'error',
          message: `District ${unit.code} is not part of this city.`,
          featureIndex: index,
          featureCode: unit.code,
        });
      }
    } else if (!incoming.has(unit.parentCode as string) && !existing.has(unit.parentCode as string)) {
      problems.push({
        code: 'parent_not_found',
        severity: 'error',
        message: `${unit.code}: parent ${unit.parentCode} is neither imported nor present.`,
        featureIndex: index,
        featureCode: unit.code,
      });
    }
  }

  const merged = new Map<string, { code: string; geometry?: GridGeometry; parentCode?: string }>();
  for (const [code, item] of existing) merged.set(code, item.data);
  for (const [code, { unit }] of incoming) merged.set(code, unit);
  const shapes = [...merged.values()].filter((u) => u.geometry) as {
    code: string;
    geometry: GridGeometry;
    parentCode?: string;
  }[];
  const topology = checkHierarchy(shapes);
  const touched = (p: GeometryProblem) =>
    (p.featureCode !== undefined && incoming.has(p.featureCode)) ||
    (p.otherCode !== undefined && incoming.has(p.otherCode));
  for (const problem of topology.problems.filter(touched)) {
    problems.push({ ...problem, featureIndex: incoming.get(problem.featureCode ?? '')?.index });
  }

  const now = ctx.clock.now().toISOString();
  const writes: TransactOp[] = [];
  let created = 0;
  let updated = 0;
  for (const { unit } of candidates) {
    const before = existing.get(unit.code);
    const entry = { at: now, by: ctx.principal.userId, action: 'import' as const };
    if (!before) {
      created += 1;
      writes.push({ kind: 'create', item: unitItem({ ...unit, status: 'active', history: [entry] }) });
    } else if (!sameUnit(unit, before.data)) {
      updated += 1;
      const next: OrgUnit = { ...before.data, ...unit, history: [...before.data.history, entry] };
      writes.push({ kind: 'replace', item: unitItem(next), previous: before });
    }
  }
  return { problems, writes, created, updated, unchanged: candidates.length - created - updated };
};

/** What an import would do, and every problem it has; nothing is written. */
export const checkImport = async (ctx: OrgContext, features: readonly unknown[]): Promise<ImportCheck> => {
  const { problems, created, updated, unchanged } = await planImport(ctx, features);
  return { ok: !problems.some((p) => p.severity === 'error'), created, updated, unchanged, problems };
};

/**
 * Imports a hierarchy as a GeoJSON FeatureCollection: units are created or updated, never
 * removed. Everything is checked first (codes, parents, geometry, topology against what is
 * already there); with any error nothing is written and every problem is returned.
 */
export const importHierarchy = async (
  ctx: OrgContext,
  features: readonly unknown[],
): Promise<ImportResult> => {
  const { problems, writes, created, updated, unchanged } = await planImport(ctx, features);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new ValidationError(`The import has ${errors.length} problem(s); nothing was written.`, {
      code: 'import_rejected',
      problems: errors,
    });
  }
  // Parents first, so that a failure part-way never leaves a child without its parent.
  const order = (op: TransactOp) => ('item' in op ? (op.item.data as OrgUnit).code.length : 0);
  writes.sort((a, b) => order(a) - order(b));
  for (let i = 0; i < writes.length; i += 99) await ctx.tenant.transact(writes.slice(i, i + 99));
  if (writes.length > 0) {
    await ctx.tenant.transact([
      await bumpGeoVersion(ctx.tenant),
      auditOp(ctx.clock, {
        principal: ctx.principal,
        requestId: ctx.requestId,
        action: 'org.import',
        target: { type: 'org-import', id: ctx.requestId },
        changes: { created, updated, features: features.length },
      }),
    ]);
  }
  return { created, updated, unchanged, warnings: problems.filter((p) => p.severity === 'warning') };
};
