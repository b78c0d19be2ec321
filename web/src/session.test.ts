import { roles } from '@civicgrid/domain';
import { describe, expect, it } from 'vitest';
import { dictionaries, translator } from './i18n';
import { clearSession, loadSession, navFor, reportChannelFor, type Session, saveSession } from './session';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const session: Session = {
  tenantId: 'demo-city',
  token: 'token',
  expiresAt: '2026-05-01T01:00:00.000Z',
  user: {
    id: 'u1',
    username: 'street',
    displayName: 'Street',
    role: 'street_center',
    scope: { kind: 'org', code: '110101001' },
  },
};

describe('session storage', () => {
  it('keeps a session until its token expires, then forgets it', () => {
    const storage = new MemoryStorage();
    saveSession(session, storage);
    expect(loadSession(storage, new Date('2026-05-01T00:30:00Z'))).toEqual(session);
    expect(loadSession(storage, new Date('2026-05-01T01:00:00Z'))).toBeUndefined();
    expect(storage.length).toBe(0);
  });

  it('keeps an expired session that carries a refresh token, for the console to renew first', () => {
    const storage = new MemoryStorage();
    const renewable = { ...session, refreshToken: 'R1' };
    saveSession(renewable, storage);
    expect(loadSession(storage, new Date('2026-05-02T00:00:00Z'))).toEqual(renewable);
    saveSession({ ...session, refreshToken: '' }, storage);
    expect(loadSession(storage, new Date('2026-05-02T00:00:00Z'))).toBeUndefined();
    expect(storage.length).toBe(0);
  });

  it('drops a malformed session and clears on sign-out', () => {
    const storage = new MemoryStorage();
    storage.setItem('civicgrid.session', '{not json');
    expect(loadSession(storage)).toBeUndefined();
    saveSession(session, storage);
    clearSession(storage);
    expect(loadSession(storage, new Date('2026-05-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('navigation per role', () => {
  it('gives every tenant role a home and reports only where the API lets the role report', () => {
    for (const role of roles.filter((r) => r !== 'platform_operator')) {
      expect(navFor(role).length, role).toBeGreaterThan(0);
      expect(navFor(role).includes('report'), role).toBe(reportChannelFor(role) !== undefined);
    }
    expect(navFor('department')).not.toContain('report');
    expect(navFor('city_admin')).toContain('admin');
    expect(navFor('grid_worker')).toEqual(['cases', 'report', 'map', 'figures']);
  });
});

describe('dictionaries', () => {
  it('has every Chinese key in English, none left empty', () => {
    expect(Object.keys(dictionaries.en).sort()).toEqual(Object.keys(dictionaries.zh).sort());
    for (const [key, value] of Object.entries(dictionaries.en)) expect(value, key).not.toBe('');
  });

  it('names statuses, commands and timeline events in both languages', () => {
    expect(translator('zh').status('dispatched')).toBe('已派遣');
    expect(translator('en').status('dispatched')).toBe('Dispatched');
    expect(translator('zh').event('case.check_passed')).toBe('核查通过');
    expect(translator('en').command('register')).toBe('Register');
    expect(translator('en').role('grid_worker')).toBe('Grid worker');
  });
});
