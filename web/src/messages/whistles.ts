import type { Messages } from './messages';

/** A whistle's follow-up cases (后续立案): the cases a summoned department opens after the joint action. */
export const zh = {
  fuTitle: '后续案件',
  fuNone: '暂无后续案件',
  fuLinkedBy: '关联部门',
  fuOpen: '关联后续案件',
  fuCaseIds: '案件编号',
  fuCaseIdsHint: '联合行动后需继续查处的案件编号（可多个，以逗号或换行分隔，最多 20 个）',
  fuNote: '说明',
  fuSubmit: '关联',
  caseIdsInvalid: '案件编号无效或数量不对（1–20 个）',
  caseIdsLinked: '案件已关联到此吹哨',
} as const;

export const en: Messages<typeof zh> = {
  fuTitle: 'Follow-up cases',
  fuNone: 'No follow-up cases yet',
  fuLinkedBy: 'Linked by',
  fuOpen: 'Link follow-up cases',
  fuCaseIds: 'Case numbers',
  fuCaseIdsHint:
    'Cases to pursue after the joint action (several separated by commas or new lines, at most 20)',
  fuNote: 'Note',
  fuSubmit: 'Link',
  caseIdsInvalid: 'A case number is invalid, or there are none or more than 20',
  caseIdsLinked: 'The case is linked to this whistle already',
};
