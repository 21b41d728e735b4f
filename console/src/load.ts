/** Loading an API answer into a view: data, an error in words, and a reload. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { inWords } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/** `fetcher` answers openapi-fetch's { data, error }; it runs again whenever `key` changes. */
export function useLoad<T>(fetcher: () => Promise<{ data?: T; error?: unknown }>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fetcher().then(
      (r) => live && setState(r.error !== undefined || r.data === undefined ? { error: inWords(r.error), loading: false } : { data: r.data, loading: false }),
      (e: unknown) => live && setState({ error: inWords(e), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
