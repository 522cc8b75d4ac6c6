import { useEffect, useRef, useState } from 'react';
import { useT } from './i18n/index.js';

export const KIOSK_IDLE_SECONDS = 120;
const WARN_SECONDS = 30;
const ACTIVITY = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const;

/** Kiosk mode's bar: a countdown to starting over after inactivity, and "Start over". */
export function KioskBar({ onReset, active }: { onReset: () => void; active: boolean }) {
  const { t } = useT();
  const last = useRef(0);
  const [left, setLeft] = useState(KIOSK_IDLE_SECONDS);
  useEffect(() => {
    last.current = Date.now();
    const touch = () => {
      last.current = Date.now();
      setLeft(KIOSK_IDLE_SECONDS);
    };
    for (const e of ACTIVITY) window.addEventListener(e, touch, { capture: true, passive: true });
    const timer = window.setInterval(() => {
      const remaining = Math.max(0, KIOSK_IDLE_SECONDS - Math.floor((Date.now() - last.current) / 1000));
      setLeft(remaining);
      if (remaining === 0) {
        last.current = Date.now();
        onReset();
      }
    }, 1000);
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, touch, { capture: true });
      window.clearInterval(timer);
    };
  }, [onReset]);
  const warn = active && left <= WARN_SECONDS;
  return (
    <div className={`kiosk-bar${warn ? ' kiosk-warn' : ''}`}>
      <span className="kiosk-label">{t('kiosk')}</span>
      <span className="kiosk-countdown" data-testid="kiosk-countdown">
        {active ? t('idleCountdown', { s: left }) : ''}
      </span>
      <button type="button" className="btn btn-small" onClick={onReset}>
        {t('startOver')}
      </button>
      {warn && (
        <p className="kiosk-warning" role="alert">
          {t('idleWarning', { s: WARN_SECONDS })}
        </p>
      )}
    </div>
  );
}
