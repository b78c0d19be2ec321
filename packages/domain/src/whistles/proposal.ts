import type { Department } from '../catalog/departments';
import { type DutyCatalog, routeCase, type UnroutedReason } from '../catalog/duty-catalog';
import { orgContains } from '../identity/scope';
import type { SummonKind } from './whistle';

export interface ProposedDepartment {
  departmentId: string;
  /** "1+5" resident or "N" on call, from the department's profile. */
  kind: SummonKind;
  /** The whistle's categories the department is competent for. */
  categories: string[];
}

export interface SummonsProposal {
  departments: ProposedDepartment[];
  /** Categories the catalog cannot pin to one department here; the street chooses by hand. */
  unresolved: { categoryCode: string; reason: UnroutedReason | 'department_unknown'; candidates: string[] }[];
}

/**
 * The departments a whistle should summon: for each category, the department the duty catalog
 * makes competent at the whistle's place (the same routing that dispatches cases), kept only if
 * the city has that department and it serves the place.
 */
export const proposeSummons = (
  catalog: DutyCatalog,
  departments: readonly Department[],
  categories: readonly string[],
  gridCode: string,
): SummonsProposal => {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const serves = (d: Department) =>
    d.servesOrgCodes.length === 0 || d.servesOrgCodes.some((code) => orgContains(code, gridCode));
  const proposed = new Map<string, ProposedDepartment>();
  const unresolved: SummonsProposal['unresolved'] = [];
  for (const categoryCode of new Set(categories)) {
    const route = routeCase(catalog, categoryCode, gridCode);
    if (route.kind === 'unrouted') {
      unresolved.push({
        categoryCode,
        reason: route.reason,
        candidates: route.candidates.filter((id) => {
          const d = byId.get(id);
          return d !== undefined && serves(d);
        }),
      });
      continue;
    }
    const department = byId.get(route.departmentId);
    if (!department || !serves(department)) {
      unresolved.push({ categoryCode, reason: 'department_unknown', candidates: [] });
      continue;
    }
    const entry = proposed.get(department.id) ?? {
      departmentId: department.id,
      kind: department.kind,
      categories: [],
    };
    entry.categories.push(categoryCode);
    proposed.set(department.id, entry);
  }
  // Resident departments first: they can also lend the second inspector on site.
  const departmentsOut = [...proposed.values()].sort(
    (a, b) =>
      Number(a.kind === 'on_call') - Number(b.kind === 'on_call') ||
      a.departmentId.localeCompare(b.departmentId),
  );
  return { departments: departmentsOut, unresolved };
};
