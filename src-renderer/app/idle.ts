import { useEffect, useRef } from 'react';

/** Calls onIdle after `minutes` without a key, click, pointer move or scroll. */
export function useIdle(minutes: number, onIdle: () => void, enabled: boolean): void {
  const callback = useRef(onIdle);
  useEffect(() => {
    callback.current = onIdle;
  }, [onIdle]);
  useEffect(() => {
    if (!enabled) return;
    let timer = window.setTimeout(() => callback.current(), minutes * 60_000);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => callback.current(), minutes * 60_000);
    };
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [minutes, enabled]);
}
