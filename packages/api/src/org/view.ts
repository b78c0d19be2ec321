import { checkStaffing, communityKindOf, emptyRoster, staffingModel, streetKindOf } from '@civicgrid/domain';
import type { StoredItem } from '@civicgrid/storage';
import type { OrgUnit } from './unit-store';

/** The unit as clients see it: derived kind and, for grids, how complete its staffing is. */
export const toUnitView = (item: StoredItem<OrgUnit>, options: { geometry?: boolean } = {}) => {
  const { geometry, ...unit } = item.data;
  const kind =
    unit.level === 'street'
      ? streetKindOf(unit.code)
      : unit.level === 'community'
        ? communityKindOf(unit.code)
        : unit.level === 'grid'
          ? unit.gridKind
          : undefined;
  const staffing =
    unit.level === 'grid'
      ? checkStaffing(
          staffingModel(unit.gridKind ?? 'basic', communityKindOf(unit.parentCode ?? '')),
          unit.roster ?? emptyRoster(),
        )
      : undefined;
  return {
    ...unit,
    ...(kind ? { kind } : {}),
    ...(staffing ? { staffing } : {}),
    ...(options.geometry !== false && geometry ? { geometry } : {}),
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
};
