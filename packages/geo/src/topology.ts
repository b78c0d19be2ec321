import { bbox } from '@turf/bbox';
import { difference } from '@turf/difference';
import { feature, featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { union } from '@turf/union';
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { compareCodes } from './codes';
import { provablyTiles } from './residual';
import { piecesAbove } from './surface';
import type { CoverageReport, GeometryProblem, GridGeometry, TopologyOptions, UnitShape } from './types';
import { areaM2, validateGeometry } from './validate';

const DEFAULT_TOLERANCE_M2 = 1;

export interface ChildrenCheck {
  problems: GeometryProblem[];
  coverage: CoverageReport;
}

/**
 * Checks one parent's children against 明确边界、相互衔接、全域覆盖: each child inside the parent, no two
 * siblings overlapping, and the parent covered by its children. Geometries are expected to be valid
 * (see validateGeometry); a clipping failure is reported instead of thrown.
 */
export function checkChildren(
  parent: UnitShape | undefined,
  children: readonly UnitShape[],
  options?: TopologyOptions,
): ChildrenCheck {
  const tolerance = options?.toleranceM2 ?? DEFAULT_TOLERANCE_M2;
  const problems: GeometryProblem[] = [];
  const childrenAreaM2 = sum(children.map((c) => areaM2(c.geometry)));
  // Most imports share vertices between neighbours: prove the tiling from the edges alone, and clip only
  // when that proof does not go through.
  if (
    parent &&
    provablyTiles(
      parent.geometry,
      children.map((c) => c.geometry),
      tolerance,
    )
  ) {
    return {
      problems,
      coverage: {
        parentCode: parent.code,
        parentAreaM2: areaM2(parent.geometry),
        childrenAreaM2,
        gaps: [],
        gapAreaM2: 0,
      },
    };
  }
  const features = children.map((c) => feature(c.geometry));
  const parentFeature = parent ? feature(parent.geometry) : undefined;
  const parentBox = parent ? bbox(parent.geometry) : undefined;

  if (parent && parentFeature && parentBox) {
    children.forEach((child, i) => {
      const box = bbox(child.geometry);
      // A child whose box lies outside the parent's box is wholly outside: no clipping needed.
      const disjoint =
        box[0] > parentBox[2] || box[2] < parentBox[0] || box[1] > parentBox[3] || box[3] < parentBox[1];
      const outside = disjoint
        ? child.geometry
        : clip(problems, `${child.code} against its parent ${parent.code}`, child.code, () =>
            difference(featureCollection([features[i] as Feature<GridGeometry>, parentFeature])),
          );
      const pieces = piecesAbove(outside, tolerance);
      const first = pieces[0];
      if (!first) return;
      const total = sum(pieces.map((p) => p.areaM2));
      problems.push({
        code: 'outside_parent',
        severity: 'error',
        message: `${child.code} extends ${round(total)} m² outside its parent ${parent.code}${count(pieces.length, 'part')}`,
        featureCode: child.code,
        otherCode: parent.code,
        location: first.location,
        areaM2: total,
      });
    });
  }

  problems.push(...siblingOverlaps(children, features, tolerance));

  const coverage: CoverageReport = {
    parentAreaM2: parent ? areaM2(parent.geometry) : 0,
    childrenAreaM2,
    gaps: [],
    gapAreaM2: 0,
  };
  if (parent && parentFeature) {
    coverage.parentCode = parent.code;
    const uncovered =
      features.length === 0
        ? parent.geometry
        : clip(
            problems,
            `the coverage of ${parent.code}`,
            parent.code,
            () => difference(featureCollection([parentFeature, ...features])),
            () => {
              // One child at a time: smaller sweeps, different event order.
              let rest: Feature<GridGeometry> | null = parentFeature;
              for (const f of features) {
                rest = rest && difference(featureCollection([rest, f]));
              }
              return rest;
            },
            () => {
              const covered = features.length > 1 ? union(featureCollection(features)) : features[0];
              return covered ? difference(featureCollection([parentFeature, covered])) : parentFeature;
            },
          );
    for (const gap of piecesAbove(uncovered, tolerance)) {
      coverage.gaps.push(gap);
      coverage.gapAreaM2 += gap.areaM2;
      problems.push({
        code: 'coverage_gap',
        severity: 'warning',
        message: `${round(gap.areaM2)} m² of ${parent.code} is covered by none of its ${children.length} children`,
        featureCode: parent.code,
        location: gap.location,
        areaM2: gap.areaM2,
      });
    }
  }
  return { problems, coverage };
}

/** Candidate pairs come from a flatbush index on bounding boxes, so only neighbours get clipped. */
function siblingOverlaps(
  children: readonly UnitShape[],
  features: Feature<GridGeometry>[],
  tolerance: number,
): GeometryProblem[] {
  const problems: GeometryProblem[] = [];
  if (children.length < 2) return problems;
  const boxes = children.map((c) => bbox(c.geometry));
  const index = new Flatbush(children.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  boxes.forEach((b, i) => {
    for (const j of index.search(b[0], b[1], b[2], b[3]).sort((x, y) => x - y)) {
      if (j <= i) continue;
      const [a, c] = orderByCode(children[i] as UnitShape, children[j] as UnitShape);
      const fi = features[i] as Feature<GridGeometry>;
      const fj = features[j] as Feature<GridGeometry>;
      const shared = clip(
        problems,
        `the overlap of ${a.code} and ${c.code}`,
        a.code,
        () => intersect(featureCollection([fi, fj])),
        () => intersect(featureCollection([fj, fi])),
      );
      const pieces = piecesAbove(shared, tolerance);
      const first = pieces[0];
      if (!first) continue;
      const total = sum(pieces.map((p) => p.areaM2));
      problems.push({
        code: 'overlaps_sibling',
        severity: 'error',
        message: `${a.code} and ${c.code} overlap by ${round(total)} m²${count(pieces.length, 'part')}`,
        featureCode: a.code,
        otherCode: c.code,
        location: first.location,
        areaM2: total,
      });
    }
  });
  return problems;
}

export interface HierarchyUnit extends UnitShape {
  parentCode?: string;
}

export interface HierarchyOptions extends TopologyOptions {
  /** Called after each unit validated and each parent checked, e.g. for an import progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export interface HierarchyCheck {
  problems: GeometryProblem[];
  /** One report per parent code, in code order; parents absent from the input report area 0. */
  coverage: CoverageReport[];
}

/**
 * Validates a whole imported hierarchy: every geometry on its own, then each parent's children. Nesting
 * makes the per-parent checks enough: siblings that do not overlap and stay inside parents that do not
 * overlap cannot overlap a cousin either. Units with invalid geometry are left out of the topology checks
 * (their own problems say why) so one broken ring does not drown the report in clipping noise.
 */
export function checkHierarchy(units: readonly HierarchyUnit[], options?: HierarchyOptions): HierarchyCheck {
  const problems: GeometryProblem[] = [];
  const coverage: CoverageReport[] = [];
  const valid = new Map<string, HierarchyUnit>();
  const groups = new Map<string, HierarchyUnit[]>();
  const allCodes = new Set(units.map((u) => u.code));
  const total = units.length + new Set(units.map((u) => u.parentCode ?? '')).size;
  let done = 0;
  const progress = () => options?.onProgress?.(++done, total);

  for (const unit of units) {
    const checked = validateGeometry(unit.geometry, unit.code);
    problems.push(...checked.problems);
    progress();
    if (!checked.geometry) continue;
    const shape: HierarchyUnit = { code: unit.code, geometry: checked.geometry };
    if (unit.parentCode !== undefined) shape.parentCode = unit.parentCode;
    valid.set(unit.code, shape);
    const key = unit.parentCode ?? '';
    const group = groups.get(key);
    if (group) group.push(shape);
    else groups.set(key, [shape]);
  }

  for (const key of [...groups.keys()].sort()) {
    const children = (groups.get(key) as HierarchyUnit[]).sort((a, b) => compareCodes(a.code, b.code));
    const parent = key === '' ? undefined : valid.get(key);
    const parentMissing = key !== '' && !parent;
    if (parentMissing && allCodes.has(key)) {
      // The parent exists but its geometry was rejected: sibling checks only, no coverage claims.
      const result = checkChildren(undefined, children, options);
      problems.push(...result.problems);
      progress();
      continue;
    }
    const result = checkChildren(parent, children, options);
    problems.push(...result.problems);
    if (key !== '') result.coverage.parentCode = key;
    coverage.push(result.coverage);
    progress();
  }
  // Groups whose every child was rejected were never checked.
  if (done < total) options?.onProgress?.(total, total);
  return { problems, coverage };
}

/**
 * Runs a clipping operation, trying the alternatives in turn: polyclip can fail to close a ring on
 * nearly coincident edges, and the same result computed another way usually goes through.
 */
function clip(
  problems: GeometryProblem[],
  what: string,
  featureCode: string,
  ...attempts: (() => Feature<Polygon | MultiPolygon> | null)[]
): Polygon | MultiPolygon | null {
  let first: unknown;
  for (const attempt of attempts) {
    try {
      return attempt()?.geometry ?? null;
    } catch (error) {
      first ??= error;
    }
  }
  problems.push({
    code: 'invalid_geometry',
    severity: 'error',
    message: `Could not compute ${what}: ${first instanceof Error ? first.message : String(first)}`,
    featureCode,
  });
  return null;
}

function orderByCode(a: UnitShape, b: UnitShape): [UnitShape, UnitShape] {
  return compareCodes(a.code, b.code) <= 0 ? [a, b] : [b, a];
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function round(m2: number): string {
  return m2 >= 100 ? Math.round(m2).toLocaleString('en-US') : m2.toFixed(1);
}

function count(n: number, noun: string): string {
  return n > 1 ? ` (${n} ${noun}s)` : '';
}
