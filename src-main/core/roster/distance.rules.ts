/** Great-circle distance between two points on the Earth (haversine), in kilometres. */
export interface LatLng {
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_KM = 6371.0088; // mean radius (IUGG)
const rad = (deg: number) => (deg * Math.PI) / 180;

export function haversineKm(a: LatLng, b: LatLng): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLng = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Both points known? (A location or an address may have no coordinates.) */
export const hasCoordinates = (p: { latitude: number | null; longitude: number | null }): p is LatLng =>
  p.latitude !== null && p.longitude !== null;
