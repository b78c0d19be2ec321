import { type BilingualName, type Category, type CategoryType, categoryCodeOf } from './categories';
import type { Department } from './departments';
import type { DutyCatalog, DutyEntry, DutyLevel, TimeLimit } from './duty-catalog';

/**
 * The catalog the demo city starts from; a tenant adapts it with overrides.
 *
 * Categories are a subset of the national standard for digital city management (CJ/T 214-2007,
 * carried on by GB/T 30428.2): component major classes 01-06 and event major classes 01-05 are
 * numbered as we understand the standard. Minor class numbers follow the standard's pattern
 * (two digits within the major class, in the standard's order, so a subset leaves gaps) as best
 * we know them; they have not been checked line by line against the published tables, so a city
 * that reports to a provincial platform with the exact codes overrides the ones that differ.
 * Classes numbered 50 and up are local extensions (see categories.ts), mostly community and
 * livelihood matters that Dongcheng's data shows recurring in the small loop.
 *
 * Time limits are plausible defaults, not figures from a regulation: emergencies count hours of
 * natural time, ordinary matters working days by the tenant's calendar.
 */
export const DEFAULT_CATALOG_VERSION = 'gbt30428-demo.1';

// ---------------------------------------------------------------------------------------------
// Departments ("1+5+N")

const department = (
  id: string,
  code: string,
  name: string,
  nameEn: string,
  kind: Department['kind'],
): Department => ({
  id,
  code,
  name,
  nameEn,
  kind,
  // A default catalog names no people: each city enters its own contacts.
  contacts: [],
  servesOrgCodes: [],
});

/**
 * The street's enforcement team and the five departments Dongcheng stations in every street
 * (public security, industry and commerce, food and drug, traffic police, fire) are resident;
 * the rest are on call. Industry and commerce and food and drug have since merged into market
 * regulation in many districts; both stay here because the five-department model names them, and
 * a city that merged them points the food entries at market regulation.
 */
export const defaultDepartments: Department[] = [
  department(
    'urban-enforcement',
    'CGZF',
    '街道城管执法队',
    'Street urban management enforcement team',
    'resident',
  ),
  department('public-security', 'GA', '公安分局（派出所）', 'Public security (police station)', 'resident'),
  department('market-regulation', 'SCJG', '市场监督管理局', 'Market regulation administration', 'resident'),
  department('food-drug', 'SPYP', '食品药品监督管理局', 'Food and drug administration', 'resident'),
  department('traffic-police', 'JJ', '公安交通管理支队', 'Traffic police detachment', 'resident'),
  department('fire-rescue', 'XF', '消防救援支队', 'Fire and rescue detachment', 'resident'),
  department(
    'municipal',
    'SZSR',
    '城市管理委员会（市政市容）',
    'City management commission (roads, lighting)',
    'on_call',
  ),
  department('landscaping', 'YLLH', '园林绿化局', 'Landscaping and greening bureau', 'on_call'),
  department('sanitation', 'HW', '环境卫生服务中心', 'Sanitation service center', 'on_call'),
  department(
    'housing',
    'ZJ',
    '住房和城乡建设委员会（房管）',
    'Housing and construction commission',
    'on_call',
  ),
  department('water', 'SW', '水务局', 'Water authority', 'on_call'),
  department('power-supply', 'GD', '供电公司', 'Power supply company', 'on_call'),
  department('civil-affairs', 'MZ', '民政局', 'Civil affairs bureau', 'on_call'),
];

// ---------------------------------------------------------------------------------------------
// Classes

type MajorClass = { type: CategoryType; code: string; name: BilingualName; source: Category['source'] };

const major = (type: CategoryType, code: string, zh: string, en: string, local = false): MajorClass => ({
  type,
  code,
  name: { zh, en },
  source: local ? 'local' : 'standard',
});

const components = {
  publicFacilities: major('component', '01', '公用设施', 'Public facilities'),
  roadsTraffic: major('component', '02', '道路交通', 'Roads and traffic'),
  cityAppearance: major('component', '03', '市容环境', 'City appearance and environment'),
  landscaping: major('component', '04', '园林绿化', 'Landscaping and greening'),
  buildingsLand: major('component', '05', '房屋土地', 'Buildings and land'),
  otherFacilities: major('component', '06', '其他设施', 'Other facilities'),
};

const events = {
  cityAppearance: major('event', '01', '市容环境', 'City appearance and environment'),
  advertising: major('event', '02', '宣传广告', 'Publicity and advertising'),
  construction: major('event', '03', '施工管理', 'Construction management'),
  emergencies: major('event', '04', '突发事件', 'Emergencies'),
  streetOrder: major('event', '05', '街面秩序', 'Street order'),
  // Local: the standard files unauthorised structures under city appearance (私搭乱建); Beijing
  // catalogs give illegal construction its own class because it tops the big-loop demands.
  illegalConstruction: major('event', '50', '违法建设', 'Illegal construction', true),
  marketSupervision: major('event', '51', '市场监管', 'Market supervision', true),
  communityAffairs: major('event', '80', '社区事务', 'Community affairs', true),
  livelihood: major('event', '81', '民生服务', 'Livelihood services', true),
};

// ---------------------------------------------------------------------------------------------
// Time limits

const hours = (amount: number, basis: TimeLimit['basis'] = 'natural'): TimeLimit => ({
  amount,
  unit: 'hours',
  basis,
});
const workingDays = (amount: number): TimeLimit => ({ amount, unit: 'days', basis: 'working' });

/** Emergencies are dispatched within the hour, around the clock. */
const urgentDispatch = (): TimeLimit => hours(1);

// ---------------------------------------------------------------------------------------------
// Categories with their duty entries

interface Row {
  major: MajorClass;
  minor: string;
  zh: string;
  en: string;
  departmentId: string;
  level: DutyLevel;
  handlingLimit: TimeLimit;
  dispatchLimit?: TimeLimit;
  /** A local minor class inside a standard major class. */
  local?: boolean;
}

const row = (
  majorClass: MajorClass,
  minor: string,
  zh: string,
  en: string,
  departmentId: string,
  level: DutyLevel,
  handlingLimit: TimeLimit,
  options: { dispatchLimit?: TimeLimit; local?: boolean } = {},
): Row => ({ major: majorClass, minor, zh, en, departmentId, level, handlingLimit, ...options });

const c = components;
const e = events;

const rows: Row[] = [
  // 部件 · 公用设施: an open manhole is a hazard, so covers are repaired within a natural day.
  row(c.publicFacilities, '01', '上水井盖', 'Water-supply manhole cover', 'water', 'street', hours(24)),
  row(c.publicFacilities, '02', '污水井盖', 'Sewage manhole cover', 'water', 'street', hours(24)),
  row(c.publicFacilities, '03', '雨水井盖', 'Storm-water manhole cover', 'water', 'street', hours(24)),
  row(c.publicFacilities, '04', '雨水箅子', 'Storm-drain grate', 'water', 'street', hours(24)),
  row(c.publicFacilities, '05', '电力井盖', 'Power manhole cover', 'power-supply', 'street', hours(24)),
  row(c.publicFacilities, '17', '消防栓', 'Fire hydrant', 'fire-rescue', 'street', workingDays(2)),
  row(c.publicFacilities, '18', '路灯', 'Street light', 'municipal', 'street', workingDays(3)),
  // 部件 · 道路交通
  row(c.roadsTraffic, '05', '过街天桥', 'Pedestrian footbridge', 'municipal', 'district', workingDays(5)),
  row(c.roadsTraffic, '09', '交通标志牌', 'Traffic sign', 'traffic-police', 'district', workingDays(5)),
  row(c.roadsTraffic, '10', '交通信号灯', 'Traffic signal', 'traffic-police', 'district', hours(24), {
    dispatchLimit: urgentDispatch(),
  }),
  row(c.roadsTraffic, '12', '交通护栏', 'Traffic guardrail', 'municipal', 'street', workingDays(3)),
  // Place-name signs belong to the civil affairs place-name office, not to the road owner.
  row(c.roadsTraffic, '13', '路名牌', 'Street-name sign', 'civil-affairs', 'street', workingDays(5)),
  // 部件 · 市容环境
  row(c.cityAppearance, '01', '公共厕所', 'Public toilet', 'sanitation', 'street', workingDays(2)),
  row(c.cityAppearance, '03', '垃圾间（楼）', 'Refuse room', 'sanitation', 'street', workingDays(3)),
  row(c.cityAppearance, '04', '垃圾箱', 'Litter bin', 'sanitation', 'community', workingDays(2)),
  // 部件 · 园林绿化
  row(c.landscaping, '01', '古树名木', 'Ancient or notable tree', 'landscaping', 'district', workingDays(2)),
  row(c.landscaping, '02', '行道树', 'Street tree', 'landscaping', 'street', workingDays(3)),
  row(c.landscaping, '05', '绿地', 'Green space', 'landscaping', 'street', workingDays(5)),
  row(c.landscaping, '07', '街头坐椅', 'Street bench', 'landscaping', 'community', workingDays(5)),
  // 部件 · 房屋土地
  row(c.buildingsLand, '01', '宣传栏', 'Notice board', 'municipal', 'community', workingDays(5)),
  row(c.buildingsLand, '02', '人防工事', 'Civil air-defence works', 'housing', 'district', workingDays(5)),
  // 部件 · 其他设施
  row(
    c.otherFacilities,
    '01',
    '重大危险源',
    'Major hazard installation',
    'fire-rescue',
    'district',
    hours(12),
    {
      dispatchLimit: urgentDispatch(),
    },
  ),
  row(c.otherFacilities, '02', '工地', 'Construction site', 'housing', 'district', workingDays(3)),
  row(c.otherFacilities, '03', '水域附属设施', 'Waterside facility', 'water', 'street', workingDays(3)),

  // 事件 · 市容环境: garbage is cleared the same natural day, the rest in working days.
  row(e.cityAppearance, '02', '暴露垃圾', 'Exposed garbage', 'sanitation', 'community', hours(24)),
  row(
    e.cityAppearance,
    '03',
    '积存垃圾渣土',
    'Accumulated garbage and muck',
    'sanitation',
    'street',
    workingDays(2),
  ),
  row(e.cityAppearance, '04', '道路不洁', 'Dirty road', 'sanitation', 'community', workingDays(1)),
  row(e.cityAppearance, '05', '水域不洁', 'Dirty water surface', 'water', 'street', workingDays(2)),
  row(e.cityAppearance, '06', '绿地脏乱', 'Untidy green space', 'landscaping', 'community', workingDays(2)),
  // 事件 · 宣传广告
  row(
    e.advertising,
    '01',
    '非法小广告',
    'Illegal small ads',
    'urban-enforcement',
    'community',
    workingDays(2),
  ),
  row(
    e.advertising,
    '02',
    '违章张贴悬挂广告牌匾',
    'Unauthorised posters, banners or signboards',
    'urban-enforcement',
    'street',
    workingDays(5),
  ),
  row(
    e.advertising,
    '03',
    '占道广告牌',
    'Advertising board on the roadway',
    'urban-enforcement',
    'street',
    workingDays(3),
  ),
  row(
    e.advertising,
    '04',
    '街头散发广告',
    'Street leafleting',
    'urban-enforcement',
    'street',
    workingDays(1),
  ),
  // 事件 · 施工管理
  row(
    e.construction,
    '01',
    '施工扰民',
    'Construction disturbing residents',
    'urban-enforcement',
    'street',
    hours(24),
  ),
  row(e.construction, '02', '工地扬尘', 'Construction-site dust', 'housing', 'district', workingDays(2)),
  row(e.construction, '03', '道路遗撒', 'Road spillage', 'sanitation', 'street', hours(12)),
  row(
    e.construction,
    '05',
    '无证掘路',
    'Unpermitted road excavation',
    'urban-enforcement',
    'street',
    workingDays(1),
  ),
  row(
    e.construction,
    '51',
    '违规施工',
    'Non-compliant construction works',
    'housing',
    'district',
    workingDays(3),
    {
      local: true,
    },
  ),
  // 事件 · 突发事件: hours of natural time, dispatched within the hour.
  row(e.emergencies, '01', '路面塌陷', 'Road collapse', 'municipal', 'district', hours(4), {
    dispatchLimit: urgentDispatch(),
  }),
  row(e.emergencies, '02', '自来水管破裂', 'Burst water main', 'water', 'district', hours(6), {
    dispatchLimit: urgentDispatch(),
  }),
  row(e.emergencies, '04', '下水道堵塞或破损', 'Blocked or broken sewer', 'water', 'street', hours(12), {
    dispatchLimit: urgentDispatch(),
  }),
  row(e.emergencies, '06', '道路积水', 'Road flooding', 'water', 'street', hours(4), {
    dispatchLimit: urgentDispatch(),
  }),
  row(e.emergencies, '07', '道路积雪结冰', 'Snow or ice on the road', 'sanitation', 'street', hours(12), {
    dispatchLimit: urgentDispatch(),
  }),
  // 事件 · 街面秩序
  row(
    e.streetOrder,
    '01',
    '无照经营游商',
    'Unlicensed street vendor',
    'urban-enforcement',
    'community',
    workingDays(1),
  ),
  row(e.streetOrder, '02', '流浪乞讨', 'Vagrancy or begging', 'civil-affairs', 'street', hours(24)),
  row(
    e.streetOrder,
    '04',
    '店外经营',
    'Trading outside the shop',
    'urban-enforcement',
    'community',
    workingDays(1),
  ),
  row(
    e.streetOrder,
    '05',
    '机动车乱停放',
    'Illegal car parking',
    'traffic-police',
    'street',
    hours(4, 'working'),
  ),
  row(
    e.streetOrder,
    '06',
    '非机动车乱停放',
    'Illegal bicycle parking',
    'urban-enforcement',
    'community',
    workingDays(1),
  ),
  row(
    e.streetOrder,
    '51',
    '地桩地锁',
    'Parking posts and locks',
    'urban-enforcement',
    'street',
    workingDays(3),
    {
      local: true,
    },
  ),
  row(e.streetOrder, '52', '露天烧烤', 'Open-air barbecue', 'urban-enforcement', 'community', hours(4), {
    local: true,
  }),
  // 事件 · 违法建设: new structures are stopped at once; old ones need a demolition procedure.
  row(
    e.illegalConstruction,
    '01',
    '新生违法建设',
    'New illegal structure',
    'urban-enforcement',
    'street',
    hours(24),
  ),
  row(
    e.illegalConstruction,
    '02',
    '存量违法建设',
    'Existing illegal structure',
    'urban-enforcement',
    'district',
    workingDays(30),
  ),
  // 事件 · 市场监管
  row(
    e.marketSupervision,
    '01',
    '无照经营门店',
    'Unlicensed premises',
    'market-regulation',
    'street',
    workingDays(5),
  ),
  row(e.marketSupervision, '02', '食品安全隐患', 'Food-safety hazard', 'food-drug', 'street', hours(24)),
  // 事件 · 社区事务 and 民生服务: the small loop's recurring matters.
  row(e.communityAffairs, '01', '噪声扰民', 'Noise nuisance', 'public-security', 'community', hours(24)),
  row(
    e.communityAffairs,
    '02',
    '不文明养犬',
    'Irresponsible dog keeping',
    'public-security',
    'community',
    workingDays(2),
  ),
  row(e.communityAffairs, '03', '物业管理', 'Property management', 'housing', 'community', workingDays(5)),
  row(e.livelihood, '01', '养老服务', 'Elderly care', 'civil-affairs', 'community', workingDays(5)),
  row(e.livelihood, '02', '保障性住房', 'Subsidised housing', 'housing', 'street', workingDays(10)),
];

export const defaultCategories: Category[] = rows.map((r) => ({
  code: categoryCodeOf(r.major.type, r.major.code, r.minor),
  type: r.major.type,
  major: { code: r.major.code, name: r.major.name },
  minor: { code: r.minor, name: { zh: r.zh, en: r.en } },
  source: r.local ? 'local' : r.major.source,
}));

export const defaultDutyEntries: DutyEntry[] = rows.map((r) => ({
  categoryCode: categoryCodeOf(r.major.type, r.major.code, r.minor),
  departmentId: r.departmentId,
  level: r.level,
  handlingLimit: r.handlingLimit,
  ...(r.dispatchLimit === undefined ? {} : { dispatchLimit: r.dispatchLimit }),
}));

export const defaultDutyCatalog: DutyCatalog = {
  version: DEFAULT_CATALOG_VERSION,
  categories: defaultCategories,
  entries: defaultDutyEntries,
};
