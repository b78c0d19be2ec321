import type { Messages } from './messages';

/** The case list, the case detail and its command forms. */
export const zh = {
  mergeCandidates: '选择主案件（附近同类未结案件）',
  noMergeCandidates: '附近没有可合并的同类未结案件',
  metres: '米',
  yourTurn: '待您',
  resultsOnMap: '案件分布',
  primaryCase: '主案件',
  stepCheck: '核查',
  devicePosition: '设备位置',
  verifiedFrom: '核实地点',
  checkedFrom: '核查地点',
  fromReportedPoint: '距上报点',
  positionRecorded: '已记录现场位置',
  positionUnavailable: '未能获取位置，可不附位置提交',
} as const;

export const en: Messages<typeof zh> = {
  mergeCandidates: 'Pick the primary case (open cases of the same category nearby)',
  noMergeCandidates: 'No open case of the same category nearby to merge into',
  metres: 'm',
  yourTurn: 'For you',
  resultsOnMap: 'Cases on the map',
  primaryCase: 'Primary case',
  stepCheck: 'On-site check',
  devicePosition: 'Device position',
  verifiedFrom: 'Verified from',
  checkedFrom: 'Checked from',
  fromReportedPoint: 'from the reported point',
  positionRecorded: 'On-site position recorded',
  positionUnavailable: 'No position available; you may submit without it',
} as const;
