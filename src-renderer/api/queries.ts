/**
 * The renderer's query cache (TanStack Query). Reads are keyed `[handlerName, input]`; a
 * change notice invalidates exactly the queries whose read depends on the changed entity
 * (see src-main/contract/reads.ts), narrowed by the patient, doctor or appointment the
 * query's input names. Answers stay fresh until a notice says otherwise: no polling, no
 * refetch on window focus.
 */
import { useEffect, useState } from 'react';
import { keepPreviousData, QueryClient, useQuery, type Query } from '@tanstack/react-query';
import type { AppError, InputOf, OutputOf } from '../../src-main/contract/index.js';
import type { ChangeNotice } from '../../src-main/contract/changes.js';
import { noticeAffects, type ReadName } from '../../src-main/contract/reads.js';
import { fetchData } from './client.js';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: Infinity,
      // A screen that opens again shows what it had at once and checks for news.
      refetchOnMount: 'always',
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      refetchInterval: false,
      retry: false,
      gcTime: 5 * 60_000,
    },
  },
});

/** Queries of the legacy `useLoad(load, key)` hook: their dependencies are unknown. */
export const LEGACY_KEY = 'load';

export interface Loaded<T> {
  data: T | null;
  error: AppError | null;
  /** True until the first answer (or error) arrives. */
  loading: boolean;
  /** True while any fetch (first, reload or notice-driven) runs. */
  fetching: boolean;
  reload(): void;
}

/**
 * A read through the contract, cached under `[name, input]`. `input === null` means "nothing
 * to load yet" (data null, not loading). While new input loads, the previous answer stays.
 */
export function useRead<K extends ReadName>(name: K, input: InputOf<K> | null): Loaded<OutputOf<K>> {
  const enabled = input !== null;
  const query = useQuery<OutputOf<K>, AppError>({
    queryKey: [name, input],
    queryFn: () => fetchData(name, input as InputOf<K>),
    enabled,
    placeholderData: keepPreviousData,
  });
  return {
    data: enabled ? (query.data ?? null) : null,
    error: enabled ? query.error : null,
    loading: enabled && query.isPending,
    fetching: enabled && query.isFetching,
    reload: () => void query.refetch(),
  };
}

const affected = (query: Query, notices: readonly ChangeNotice[]): boolean => {
  const [name, input] = query.queryKey as [string, unknown];
  if (name === LEGACY_KEY) return true;
  return notices.some((n) => noticeAffects(name, input, n));
};

type NoticeListener = (notices: readonly ChangeNotice[] | 'all') => void;
const noticeListeners = new Set<NoticeListener>();

/** Refetches the open queries a batch of notices may have changed (and marks the others stale). */
export function invalidateFor(notices: readonly ChangeNotice[]): Promise<void> {
  if (notices.length === 0) return Promise.resolve();
  for (const listener of noticeListeners) listener(notices);
  return queryClient.invalidateQueries({ predicate: (query) => affected(query, notices) });
}

/** After a gap in the notices (reconnect), nothing cached can be trusted. */
export function invalidateAll(): Promise<void> {
  for (const listener of noticeListeners) listener('all');
  return queryClient.invalidateQueries();
}

/**
 * For a screen that loads outside the cache (its own effect, e.g. a debounced search): a
 * number that grows whenever a notice may have changed `name(input)`; put it in the effect's
 * dependencies to reload.
 */
export function useChangeCount(name: ReadName, input: unknown = {}): number {
  const [count, setCount] = useState(0);
  const inputKey = JSON.stringify(input ?? {});
  useEffect(() => {
    const parsed = JSON.parse(inputKey) as unknown;
    const listener: NoticeListener = (notices) => {
      if (notices === 'all' || notices.some((n) => noticeAffects(name, parsed, n))) setCount((c) => c + 1);
    };
    noticeListeners.add(listener);
    return () => {
      noticeListeners.delete(listener);
    };
  }, [name, inputKey]);
  return count;
}
