import type { Messages } from './messages';

/** The platform operator's tenant list: the suspension's confirmation. */
export const zh = {
  suspendTitle: '暂停城市',
  suspendQuestion: '确定暂停 {name}（{id}）吗？',
  suspendEffect: '暂停后，该城市的所有用户都将被拒绝登录和访问；其数据保留，可随时恢复。',
  suspendConfirm: '确认暂停',
} as const;

export const en: Messages<typeof zh> = {
  suspendTitle: 'Suspend a city',
  suspendQuestion: 'Suspend {name} ({id})?',
  suspendEffect:
    'While it is suspended, every user of this city is refused sign-in and access; its data is kept and it can be resumed at any time.',
  suspendConfirm: 'Suspend',
};
