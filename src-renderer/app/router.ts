import { useEffect, useState } from 'react';

/** A hash route: '#/patients/abc' → ['patients', 'abc']. */
export function useRoute(): string[] {
  const read = () =>
    window.location.hash
      .replace(/^#\/?/, '')
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export const navigate = (...parts: string[]): void => {
  window.location.hash = `/${parts.map(encodeURIComponent).join('/')}`;
};
