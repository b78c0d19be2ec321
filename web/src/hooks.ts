import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ApiClient } from './api';
import type { Session } from './session';

export interface AppContextValue {
  session: Session;
  api: ApiClient;
  signOut: () => void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export const useApp = (): AppContextValue => {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside a signed-in console');
  return value;
};

export type Loadable<T> =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  | { state: 'ready'; value: T };

/** Loads once per key and again on `reload`; stale answers of an earlier key are dropped. */
export const useLoad = <T>(load: () => Promise<T>, key: string): [Loadable<T>, () => void] => {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key names what is loaded
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    load().then(
      (value) => live && setResult({ state: 'ready', value }),
      (error: unknown) => live && setResult({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return [result, reload];
};
