import { z } from 'zod';

/** The roles of domain.md, in the order of the hierarchy they act in. */
export const roles = [
  'platform_operator',
  'city_admin',
  'district_center',
  'street_center',
  'community_station',
  'grid_worker',
  'department',
  'citizen',
] as const;

export const RoleSchema = z.enum(roles);
export type Role = z.infer<typeof RoleSchema>;

export const roleLabels: Record<Role, { zh: string; en: string }> = {
  platform_operator: { zh: '平台运营方', en: 'Platform operator' },
  city_admin: { zh: '市/区管理员', en: 'City admin' },
  district_center: { zh: '区网格化服务管理中心', en: 'District command center' },
  street_center: { zh: '街道（乡镇）分中心', en: 'Street sub-center' },
  community_station: { zh: '社区工作站', en: 'Community workstation' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  department: { zh: '职能部门', en: 'Department' },
  citizen: { zh: '居民', en: 'Citizen' },
};
