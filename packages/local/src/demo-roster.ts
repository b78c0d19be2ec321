import type { Roster, RosterMember } from '@civicgrid/domain';

// Invented people for the demo city's grids, so that a grid on the map shows who works it. Names
// are drawn in a fixed order and phones are the 13800138xxx test range: the same city at every start.
const surnames = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
];
const given = [
  '建国',
  '秀英',
  '志强',
  '丽娟',
  '海燕',
  '伟',
  '静',
  '磊',
  '敏',
  '军',
  '桂兰',
  '红梅',
  '晓东',
  '玉兰',
  '明',
  '芳',
];

/**
 * The roster of the demo's grid number `index` (0-based) as C city staffs it: a basic grid "4+X"
 * (liaison, grid head, a full-time and a part-time worker, volunteers), an exclusive grid "2+X"
 * (grid head, a part-time worker, volunteers); `worker` is the demo grid worker's account, the
 * full-time worker of the grid it is scoped to.
 */
export const demoRoster = (index: number, kind: 'basic' | 'exclusive', worker?: RosterMember): Roster => {
  let n = index * 7;
  const person = (): RosterMember => {
    const k = n++;
    return {
      name: `${surnames[k % surnames.length]}${given[(k * 5 + Math.floor(k / surnames.length)) % given.length]}`,
      phone: `13800${String(138000 + (k % 1000)).padStart(6, '0')}`,
    };
  };
  const volunteers = [person(), person()];
  if (kind === 'exclusive') return { gridHead: person(), fullTime: [], partTime: [person()], volunteers };
  return {
    liaison: person(),
    gridHead: person(),
    fullTime: [worker ?? person()],
    partTime: [person()],
    volunteers,
  };
};

/** The grid's supervisor (监督员), one per grid. */
export const demoSupervisor = (index: number): string =>
  `${surnames[(index + 3) % surnames.length]}${given[(index * 3 + 1) % given.length]}`;
