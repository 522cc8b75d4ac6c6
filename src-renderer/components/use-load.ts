import { useEffect, useRef } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AppError } from '../../src-main/contract/index.js';
import { LEGACY_KEY } from '../api/queries.js';

/**
 * The old loading hook's call shape over the query cache: loads whenever `key` changes, with
 * a reload function. Its dependencies are unknown, so every change notice refetches it —
 * prefer `useRead(name, input)` from api/queries.ts, which refetches only on relevant changes.
 */
export function useLoad<T>(load: () => Promise<T>, key: string) {
  const latest = useRef(load);
  useEffect(() => {
    latest.current = load;
  });
  const query = useQuery<T, AppError>({
    queryKey: [LEGACY_KEY, key],
    queryFn: () => latest.current(),
    placeholderData: keepPreviousData,
  });
  return { data: query.data ?? null, error: query.error, loading: query.isPending, reload: () => void query.refetch() };
}
