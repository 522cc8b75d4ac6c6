import { fetchData } from '../api/client.js';
import { useLoad } from './use-load.js';

/**
 * The clinic's time zone (settings.timeZone) for "today", ages and clock times; until it has
 * loaded, null (callers show nothing time-dependent rather than the computer's time).
 */
export function useClinicZone(): string | null {
  const settings = useLoad(() => fetchData('settings/get', {}), 'clinic-zone');
  return settings.data?.timeZone ?? null;
}
