import type { Messages } from './messages';

/** The Figures page: the case export and the city's month. */
export const zh = {
  caseExportTitle: '案件导出',
  caseExportHint: '导出所选月份、所选地区内上报的案件（最多 1000 条）',
  caseExportPlace: '地区',
  caseExportOwnPlace: '本辖区全部',
  caseExportCsv: '导出 CSV',
  caseExportGeoJson: '导出 GeoJSON',
  caseExportDone: '已导出',
  cityWide: '全市',
} as const;

export const en: Messages<typeof zh> = {
  caseExportTitle: 'Case export',
  caseExportHint: 'The cases reported in the chosen month under the chosen place (at most 1,000)',
  caseExportPlace: 'Place',
  caseExportOwnPlace: 'All of my place',
  caseExportCsv: 'Export CSV',
  caseExportGeoJson: 'Export GeoJSON',
  caseExportDone: 'Exported',
  cityWide: 'Whole city',
};
