/**
 * Map links for an address or a point: Yandex Maps and Google Maps open
 * them in their apps or the browser. No geocoding: the address travels as
 * a search, a pinned point as coordinates.
 */
export interface Point {
  latitude: number;
  longitude: number;
}

export function mapLinks(where: string | Point): { yandex: string; google: string } {
  if (typeof where === 'string') {
    const q = encodeURIComponent(where);
    return { yandex: `https://yandex.ru/maps/?text=${q}`, google: `https://www.google.com/maps/search/?api=1&query=${q}` };
  }
  const { latitude: lat, longitude: lon } = where;
  return {
    yandex: `https://yandex.ru/maps/?pt=${lon},${lat}&z=17&l=map`,
    google: `https://www.google.com/maps/search/?api=1&query=${lat},${lon}`,
  };
}

/** Great-circle distance in metres (haversine; plenty for "how far from the pin"). */
export function distanceMetres(a: Point, b: Point): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * 6_371_000 * Math.asin(Math.sqrt(h)));
}
