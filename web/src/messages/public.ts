import type { Messages } from './messages';

/** The public reporting page: the city, the place check and the address search. */
export const zh = {
  publicCityMap: '地图',
  publicNoGrids: '本市尚未划定网格，可填写地址由工作人员核实',
  publicCheckingPlace: '正在核对位置…',
  publicPlaceIn: '位于',
  publicFindAddress: '在地图上查找',
  publicFinding: '查找中…',
  publicMatches: '查找结果，点选一项标出位置',
  publicNoMatches: '本市范围内未找到该地址；可在地图上点选位置，或直接提交由工作人员核实',
} as const;

export const en: Messages<typeof zh> = {
  publicCityMap: 'map',
  publicNoGrids: 'This city has not drawn its grids yet; give an address and staff will place it',
  publicCheckingPlace: 'Checking the place…',
  publicPlaceIn: 'In',
  publicFindAddress: 'Find on the map',
  publicFinding: 'Finding…',
  publicMatches: 'Matches: choose one to mark it',
  publicNoMatches: 'No such place in this city; tap the map, or send it and staff will place it',
};
