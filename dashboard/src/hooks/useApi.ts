// Loads data for a page: `loading` until the first answer, `error` when it failed, `reload()`
// to fetch again (after a mutation or on a timer). Stale answers from older calls are dropped.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface ApiState<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (data: T) => void;
}

export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const controller = useRef<AbortController | null>(null);

  const run = useCallback(async () => {
    const mine = ++generation.current;
    controller.current?.abort();
    const ac = new AbortController();
    controller.current = ac;
    try {
      const result = await load(ac.signal);
      if (mine === generation.current) {
        setData(result);
        setError(null);
      }
    } catch (e) {
      if (mine === generation.current && !(e instanceof DOMException && e.name === 'AbortError')) setError(e as Error);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  useEffect(() => {
    setLoading(true);
    void run();
    return () => controller.current?.abort();
  }, [run]);

  return { data, error, loading, reload: run, setData };
}

// Calls `fn` every `ms` milliseconds while `enabled`; the timer is cleared on unmount.
export function useInterval(fn: () => void, ms: number | null): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (ms === null || ms <= 0) return;
    const id = setInterval(() => saved.current(), ms);
    return () => clearInterval(id);
  }, [ms]);
}
