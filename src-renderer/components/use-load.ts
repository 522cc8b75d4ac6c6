import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../src-main/contract/index.js';

interface LoadState<T> {
  data: T | null;
  error: AppError | null;
  loading: boolean;
}

/**
 * Loads data whenever `key` changes (a string of the inputs), with a reload function.
 * State is set only when the load settles, never synchronously inside the effect.
 */
export function useLoad<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<LoadState<T>>({ data: null, error: null, loading: true });
  const [version, setVersion] = useState(0);
  const latest = useRef(load);
  useEffect(() => {
    latest.current = load;
  });
  useEffect(() => {
    let live = true;
    latest.current().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: AppError) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [key, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}
