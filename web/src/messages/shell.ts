import type { Messages } from './messages';

/** The console's frame: start-up session renewal, skip link, navigation landmark. */
export const zh = {
  restoringSession: '正在恢复登录…',
  restoreFailed: '暂时无法恢复登录（网络或认证服务不可用）',
  signInAgain: '重新登录',
  skipToContent: '跳到正文',
  mainNav: '主导航',
} as const;

export const en: Messages<typeof zh> = {
  restoringSession: 'Restoring your session…',
  restoreFailed: 'Could not restore your session (network or sign-in service unavailable)',
  signInAgain: 'Sign in again',
  skipToContent: 'Skip to content',
  mainNav: 'Main',
};
