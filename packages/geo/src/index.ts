export { GridLocator } from './locator';
export type {
  GridKind,
  SyntheticCity,
  SyntheticCityOptions,
  UnitLevel,
  UnitProperties,
} from './synthetic';
export { mulberry32, syntheticCity } from './synthetic';
export type { ChildrenCheck, HierarchyCheck, HierarchyOptions, HierarchyUnit } from './topology';
export { checkChildren, checkHierarchy } from './topology';
export type {
  CoverageReport,
  GeometryProblem,
  GeometryProblemCode,
  GridGeometry,
  TopologyOptions,
  UnitShape,
} from './types';
export type { ValidationResult } from './validate';
export { areaM2, validateGeometry } from './validate';
