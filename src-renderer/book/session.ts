/**
 * Where the patient's device token lives: localStorage on the patient's own device, memory only
 * in kiosk mode (nothing survives the next person at the kiosk).
 */
const KEY = 'clinic-desk.book.session';

export interface Session {
  token: string;
  givenName: string;
  expiresAt: string | null;
}

export const isKiosk = (): boolean => new URLSearchParams(window.location.search).get('kiosk') === '1';

export function createSessionStore(kiosk: boolean) {
  let memory: Session | null = null;
  return {
    load(): Session | null {
      if (kiosk) return memory;
      try {
        const raw = window.localStorage.getItem(KEY);
        if (!raw) return null;
        const parsed = JSON.parse(raw) as Session;
        if (typeof parsed?.token !== 'string') return null;
        if (parsed.expiresAt && Date.parse(parsed.expiresAt) < Date.now()) {
          window.localStorage.removeItem(KEY);
          return null;
        }
        return parsed;
      } catch {
        return null;
      }
    },
    save(session: Session | null): void {
      memory = session;
      if (kiosk) return;
      try {
        if (session) window.localStorage.setItem(KEY, JSON.stringify(session));
        else window.localStorage.removeItem(KEY);
      } catch {
        // Private browsing without storage: the session lives in memory only.
      }
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;
